using System.Threading.RateLimiting;

namespace PullSecretWebhook.Kube.Transport;

/// <summary>
/// client-go's client-side rate limit (QPS and burst), which KubernetesClient does not have: every attempt, retries
/// included, waits for a token, so a retry storm cannot crowd out the writes that matter.
/// </summary>
internal sealed class RateLimitHandler(TokenBucketRateLimiter limiter) : DelegatingHandler
{
    /// <summary>
    /// A token bucket of <paramref name="burst"/> tokens refilled at <paramref name="qps"/> per second, like client-go's
    /// flowcontrol.NewTokenBucketRateLimiter. High rates refill several tokens at a time so the timer does not have to
    /// tick faster than every 10 ms.
    /// </summary>
    public static TokenBucketRateLimiter CreateLimiter(double qps, int burst)
    {
        var tokensPerPeriod = 1;
        var period = TimeSpan.FromSeconds(1 / qps);
        if (period < TimeSpan.FromMilliseconds(10))
        {
            tokensPerPeriod = (int)Math.Ceiling(qps / 100);
            period = TimeSpan.FromSeconds(tokensPerPeriod / qps);
        }

        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            AutoReplenishment = true,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (var lease = await limiter.AcquireAsync(1, cancellationToken))
        {
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException("the Kubernetes client rate limiter refused a request");
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

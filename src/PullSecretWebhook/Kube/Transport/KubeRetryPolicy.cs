using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace PullSecretWebhook.Kube.Transport;

/// <summary>
/// Retries of one API call, run by Microsoft.Extensions.Http.Resilience's <see cref="ResilienceHandler"/> inside
/// KubernetesClient's handler chain (the package retries nothing by design). Its standard handler is not used: its
/// total and attempt timeouts would cut every watch short, and it retries writes the server may have acted on.
/// Reads retry connection failures, 429 and 5xx; writes
/// only what the server certainly did not process: 429 and failures to connect. 409, 422 and other
/// 4xx are answers, never retried.
/// </summary>
internal static partial class KubeRetryPolicy
{
    /// <summary>Retry-After beyond this is treated as this, so a confused server cannot park a call for hours.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>The handler: reads and writes each get their pipeline, chosen per request.</summary>
    public static ResilienceHandler CreateHandler(KubeOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var reads = Create(options, timeProvider, forReads: true, logger);
        var writes = Create(options, timeProvider, forReads: false, logger);
        return new ResilienceHandler(request => KubeRequests.IsSafe(request) ? reads : writes);
    }

    public static ResiliencePipeline<HttpResponseMessage> Create(KubeOptions options, TimeProvider timeProvider, bool forReads, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (options.MaxRetries == 0)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.RetryMaxDelay,
            ShouldHandle = args => ValueTask.FromResult(forReads ? ShouldRetryRead(args.Outcome) : ShouldRetryWrite(args.Outcome)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            OnRetry = args =>
            {
                var what = args.Outcome.Result is { } response ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "unknown";
                LogRetry(logger, args.AttemptNumber + 1, what, args.RetryDelay);
                return default;
            },
        }).Build();
    }

    internal static bool ShouldRetryRead(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or IOException } => true,
        { Result.StatusCode: HttpStatusCode.TooManyRequests } => true,
        { Result.StatusCode: var code } when (int)code >= 500 && code != HttpStatusCode.NotImplemented => true,
        _ => false,
    };

    /// <summary>A write is retried only when it cannot have reached the server.</summary>
    internal static bool ShouldRetryWrite(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } } => true,
        { Result.StatusCode: HttpStatusCode.TooManyRequests } => true,
        _ => false,
    };

    /// <summary>The server's Retry-After (seconds), else null so the exponential backoff decides.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var delta = response?.Headers.RetryAfter?.Delta;
        if (delta is null || delta < TimeSpan.Zero)
        {
            return null;
        }

        return delta > MaxRetryAfter ? MaxRetryAfter : delta;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kubernetes API call failed ({Outcome}); retry {Attempt} in {Delay}")]
    private static partial void LogRetry(ILogger logger, int attempt, string outcome, TimeSpan delay);
}

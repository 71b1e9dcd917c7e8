using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using Polly;
using PullSecretWebhook.Kube.Auth;
using PullSecretWebhook.Kube.Config;

namespace PullSecretWebhook.Kube.Client;

/// <summary>
/// Sends API calls: credentials, client-side rate limit, per-call timeout and retries, over one
/// pooled connection handler. Knows nothing about kinds or JSON.
/// </summary>
internal sealed class KubeTransport : IDisposable
{
    private readonly KubeClusterConfig _config;
    private readonly KubeOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly TokenBucketRateLimiter _limiter;
    private readonly ResiliencePipeline<HttpResponseMessage> _readPipeline;
    private readonly ResiliencePipeline<HttpResponseMessage> _writePipeline;
    private readonly string _userAgent;
    private readonly Lock _clientLock = new();
    private HttpClient _http;
    private X509Certificate2? _httpCertificate;

    public KubeTransport(KubeClusterConfig config, KubeOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _config = config;
        _options = options;
        _timeProvider = timeProvider;
        _limiter = CreateLimiter(options.Qps, options.Burst);
        _readPipeline = KubeRetryPolicy.Create(options, timeProvider, forReads: true, logger);
        _writePipeline = KubeRetryPolicy.Create(options, timeProvider, forReads: false, logger);
        _userAgent = string.IsNullOrWhiteSpace(options.UserAgent) ? DefaultUserAgent() : options.UserAgent;
        _http = CreateHttpClient(null);
    }

    public KubeClusterConfig Config => _config;

    /// <summary>The token bucket's counters (available tokens, queued calls), for tests and metrics.</summary>
    public RateLimiterStatistics? RateLimiterStatistics => _limiter.GetStatistics();

    /// <summary>
    /// Sends <paramref name="request"/> and returns the response, whatever its status. A watch
    /// returns as soon as headers arrive; anything else has its body buffered within the timeout.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(KubeRequest request, CancellationToken cancellationToken)
    {
        var pipeline = request.IsSafe ? _readPipeline : _writePipeline;
        for (var attempt = 0; ; attempt++)
        {
            var credentials = await _config.Credentials.GetAsync(cancellationToken);
            var http = HttpClientFor(credentials.ClientCertificate);
            var response = await pipeline.ExecuteAsync(
                static async (state, token) => await state.Transport.SendOnceAsync(state.Http, state.Request, state.Credentials, token),
                (Transport: this, Http: http, Request: request, Credentials: credentials),
                cancellationToken);

            // Credentials that expired or rotated: refresh once and try again (client-go does the same for exec plugins).
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && _config.Credentials.Invalidate(credentials))
            {
                response.Dispose();
                continue;
            }

            return response;
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _limiter.Dispose();
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpClient http, KubeRequest request, KubeCredentials credentials, CancellationToken cancellationToken)
    {
        // Each attempt takes a token, as in client-go: retries must not bypass the limit.
        using (var lease = await _limiter.AcquireAsync(1, cancellationToken))
        {
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException("the Kubernetes client rate limiter refused a request");
            }
        }

        using var message = new HttpRequestMessage(request.Method, request.PathAndQuery);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (credentials.Token is { } token)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType ?? "application/json");
        }

        if (request.IsWatch)
        {
            return await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }

        using var timeout = new CancellationTokenSource(_options.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, linked.Token);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{request} did not complete within {_options.Timeout} (Kube:Timeout)", ex);
        }
    }

    /// <summary>
    /// The shared client, rebuilt when an exec plugin hands out a new client certificate: pooled
    /// connections keep the identity they were opened with, so they must go (client-go closes all
    /// connections on certificate rotation for the same reason).
    /// </summary>
    private HttpClient HttpClientFor(X509Certificate2? certificate)
    {
        lock (_clientLock)
        {
            if (_httpCertificate?.Thumbprint == certificate?.Thumbprint)
            {
                return _http;
            }

            var old = _http;
            _http = CreateHttpClient(certificate);
            _httpCertificate = certificate;
            old.Dispose();
            return _http;
        }
    }

    private HttpClient CreateHttpClient(X509Certificate2? certificate)
    {
        var http = new HttpClient(KubeHttpHandlerFactory.Create(_config, certificate, _options.Timeout), disposeHandler: true)
        {
            BaseAddress = _config.Server,
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", _userAgent);
        return http;
    }

    /// <summary>
    /// A token bucket of <paramref name="burst"/> tokens refilled at <paramref name="qps"/> per second,
    /// like client-go's flowcontrol.NewTokenBucketRateLimiter. High rates refill several tokens at a
    /// time so the timer does not have to tick faster than every 10 ms.
    /// </summary>
    internal static TokenBucketRateLimiter CreateLimiter(double qps, int burst)
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

    private static string DefaultUserAgent()
    {
        var version = typeof(KubeTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"pullsecret-webhook/{(plus >= 0 ? version[..plus] : version)}";
    }
}

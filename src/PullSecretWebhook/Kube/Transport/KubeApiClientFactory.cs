using System.Reflection;
using PullSecretWebhook.Kube.Config;
using k8s;

namespace PullSecretWebhook.Kube.Transport;

/// <summary>
/// Builds the KubernetesClient <see cref="Kubernetes"/> the process shares: the package's generated operations, models
/// and watch, over the handlers of this folder for what it lacks. Outermost first:
/// <list type="number">
/// <item><see cref="ApiErrorHandler"/>: error answers become <see cref="KubeApiException"/>, without the request body;</item>
/// <item><see cref="CredentialsHandler"/>: the project's credential providers (token file, exec plugin), refreshed on 401;</item>
/// <item><see cref="KubeRetryPolicy"/>: retries of what is safe to retry, honouring Retry-After;</item>
/// <item><see cref="RateLimitHandler"/>: client-go's QPS and burst, per attempt;</item>
/// <item><see cref="AttemptTimeoutHandler"/>: <c>Kube:Timeout</c> per attempt, watches exempt;</item>
/// </list>
/// then the package's own SocketsHttpHandler, with TLS set by <see cref="KubeTls"/>.
/// </summary>
internal static class KubeApiClientFactory
{
    public static Kubernetes Create(KubeClusterConfig config, KubeOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        KubeJson.Configure();
        var clientCertificate = new ClientCertificateSlot();
        var configuration = new KubernetesClientConfiguration
        {
            Host = config.Server.ToString(),
            UserAgent = string.IsNullOrWhiteSpace(options.UserAgent) ? DefaultUserAgent() : options.UserAgent,
            HttpClientTimeout = Timeout.InfiniteTimeSpan,
            FirstMessageHandlerSetup = handler => KubeTls.Configure((SocketsHttpHandler)handler, config, clientCertificate, options.Timeout),
        };
        return new Kubernetes(
            configuration,
            new ApiErrorHandler(),
            new CredentialsHandler(config.Credentials, clientCertificate),
            KubeRetryPolicy.CreateHandler(options, timeProvider, logger),
            new RateLimitHandler(RateLimitHandler.CreateLimiter(options.Qps, options.Burst)),
            new AttemptTimeoutHandler(options.Timeout, timeProvider));
    }

    private static string DefaultUserAgent()
    {
        var version = typeof(KubeApiClientFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"pullsecret-webhook/{(plus >= 0 ? version[..plus] : version)}";
    }
}

using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;
using PullSecretWebhook.Kube;

namespace PullSecretWebhook.EndpointAccess;

/// <summary>Who may read <c>/status</c> and <c>/metrics</c> (<c>Observability:Authorization</c>; README, "Who may read
/// /status and /metrics"). Endpoints opt in with <see cref="RequireClusterAccess{TBuilder}"/>; <c>/healthz</c>,
/// <c>/readyz</c> (kubelet probes carry no token) and <c>/mutate</c> stay as they are.</summary>
internal static class EndpointAccessSetup
{
    public static IServiceCollection AddEndpointAccess(this IServiceCollection services)
    {
        services.AddOptions<EndpointAccessOptions>().BindConfiguration(EndpointAccessOptions.Section).ValidateWith(new EndpointAccessOptionsValidator()).ValidateOnStart();
        services.AddSingleton<EndpointAccessPolicy>();
        services.AddSingleton<IAccessReviews>(sp => new KubernetesAccessReviews(sp.GetRequiredService<k8s.IKubernetes>()));
        services.AddSingleton<AccessReviewer>();
        services.AddHostedService<EndpointAccessReporter>();
        return services;
    }

    /// <summary>Reviews the callers of endpoints marked with <see cref="RequireClusterAccess{TBuilder}"/>.</summary>
    public static WebApplication UseEndpointAccess(this WebApplication app)
    {
        app.Use(EndpointAccessMiddleware.InvokeAsync);
        return app;
    }

    public static TBuilder RequireClusterAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(ClusterAccessRequired.Instance);

    /// <summary>Resolves the mode when the host starts (so <c>Kubernetes</c> without a cluster stops start-up) and says
    /// it; <c>None</c> chosen in the cluster is a warning.</summary>
    private sealed class EndpointAccessReporter(EndpointAccessPolicy policy, IOptions<EndpointAccessOptions> options, KubeConnectionState connection, ILogger<EndpointAccessReporter> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (policy.Mode == EndpointAuthorization.Kubernetes)
            {
                AccessLog.Kubernetes(logger, options.Value.AuthorizationCacheDuration);
            }
            else if (policy.IsInCluster)
            {
                AccessLog.OpenInCluster(logger);
            }
            else
            {
                AccessLog.Open(logger, connection.IsConnected
                    ? $"running outside the cluster, {connection.Description}; Observability:Authorization=Kubernetes requires cluster credentials"
                    : $"no cluster connection: {connection.Description}");
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube.Config;
using PullSecretWebhook.Kube.Leader;
using PullSecretWebhook.Kube.Transport;
using PullSecretWebhook.Kube.Watching;
using k8s;

namespace PullSecretWebhook.Kube;

internal static class KubeServiceCollectionExtensions
{
    /// <summary>
    /// The Kubernetes client (KubernetesClient's <see cref="IKubernetes"/>) and what builds on it. Works without a
    /// cluster: then <see cref="KubeConnectionState.IsConnected"/> is false and <see cref="IKubernetes"/>,
    /// <see cref="KubeInformerFactory"/> and <see cref="LeaderElector"/> must not be resolved
    /// (they throw, naming the reason). A kubeconfig that exists but is broken stops start-up.
    /// </summary>
    public static IServiceCollection AddKube(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KubeOptions>().Bind(configuration.GetSection(KubeOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KubeOptions>, KubeOptionsValidator>();
        services.AddOptions<LeaderElectionOptions>().Bind(configuration.GetSection(LeaderElectionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LeaderElectionOptions>, LeaderElectionOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => KubeEnvironment.FromProcess());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KubeOptions>>().Value;
            return new KubeConfigLoader(sp.GetRequiredService<KubeEnvironment>(), sp.GetRequiredService<TimeProvider>())
                .Load(options.Kubeconfig, options.Context);
        });
        services.TryAddSingleton<IKubernetes>(sp => KubeApiClientFactory.Create(
            ConnectedConfig(sp),
            sp.GetRequiredService<IOptions<KubeOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("PullSecretWebhook.Kube.Transport")));
        services.TryAddSingleton<KubeInformerFactory>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LeaderElectionOptions>>().Value;
            var environment = sp.GetRequiredService<KubeEnvironment>();
            return new LeaderElector(
                sp.GetRequiredService<IKubernetes>(),
                options,
                string.IsNullOrEmpty(options.LeaseNamespace) ? environment.OwnNamespace : options.LeaseNamespace,
                environment.CreateIdentity(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<LeaderElector>>());
        });
        services.AddHostedService<KubeStartupReporter>();
        return services;
    }

    private static KubeClusterConfig ConnectedConfig(IServiceProvider services)
    {
        var state = services.GetRequiredService<KubeConnectionState>();
        return state.IsConnected
            ? state.Config
            : throw new InvalidOperationException($"no Kubernetes cluster is configured ({state.Description}); check KubeConnectionState.IsConnected first");
    }
}

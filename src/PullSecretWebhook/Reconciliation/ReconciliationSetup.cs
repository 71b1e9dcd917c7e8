using Microsoft.Extensions.Options;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Reconciliation.Events;
using PullSecretWebhook.Reconciliation.Placeholders;
using PullSecretWebhook.Reconciliation.ServiceAccounts;
using PullSecretWebhook.Reconciliation.SlippedPods;
using PullSecretWebhook.Reconciliation.Sources;
using PullSecretWebhook.Reconciliation.Status;
using PullSecretWebhook.Reconciliation.Targets;

namespace PullSecretWebhook.Reconciliation;

internal static class ReconciliationSetup
{
    /// <summary>The reconciler and the cluster caches. Without a cluster connection nothing here starts, and the
    /// webhook keeps its "unknown" namespace facts.</summary>
    public static IServiceCollection AddReconciliation(this IServiceCollection services)
    {
        services.AddOptions<ReconcilerOptions>().BindConfiguration(ReconcilerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SourcesOptions>, SourcesOptionsValidator>();
        services.AddOptions<ServiceAccountOptions>().BindConfiguration(ServiceAccountOptions.Section).ValidateOnStart();
        services.AddOptions<PlaceholdersOptions>().BindConfiguration(PlaceholdersOptions.Section).ValidateOnStart();
        services.AddSingleton<PlaceholderFiller>();
        services.AddOptions<SlippedPodsOptions>().BindConfiguration(SlippedPodsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SlippedPodScanner>();
        services.AddSingleton<ClusterCaches>();
        services.AddSingleton<ServiceAccountFallback>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SourcesOptions>>().Value;
            return new SourceAnalyzer(options.EffectiveNamespaces(sp.GetRequiredService<KubeEnvironment>().OwnNamespace), options.Secrets);
        });
        services.AddSingleton<DesiredTargetCalculator>();
        services.AddSingleton<EventRecorder>();
        services.AddSingleton<ReconcilerMetrics>();
        services.AddSingleton<NamespaceReconciler>();
        services.AddSingleton<KeptLastGood>();
        services.AddSingleton<SourceReporter>();
        services.AddSingleton<StatusService>();
        services.AddSingleton<ExportedKeyrings>();
        services.AddSingleton<CachedNamespaceFacts>();
        services.AddSingleton<ReconciliationHost>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<KubeConnectionState>().IsConnected
            ? sp.GetRequiredService<ReconciliationHost>()
            : new DisabledReconciler(sp.GetRequiredService<KubeConnectionState>(), sp.GetRequiredService<ILogger<DisabledReconciler>>()));

        // The webhook asks the caches when there are caches to ask.
        services.AddSingleton<INamespaceFactsSource>(sp => sp.GetRequiredService<KubeConnectionState>().IsConnected
            ? sp.GetRequiredService<CachedNamespaceFacts>()
            : new UnknownNamespaceFacts());
        return services;
    }

    public static WebApplication MapReconciliation(this WebApplication app)
    {
        app.MapGet("/status", StatusEndpoint.WriteAsync);
        return app;
    }

    private sealed class DisabledReconciler(KubeConnectionState state, ILogger<DisabledReconciler> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            ReconcilerLog.Disabled(logger, $"no cluster connection ({state.Description}); running the webhook alone");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Admission;
using PullSecretWebhook.EndpointAccess;
using PullSecretWebhook.Hosting;
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
using PullSecretWebhook.Reconciliation.WorkLoop;

namespace PullSecretWebhook.Reconciliation;

internal static class ReconciliationSetup
{
    /// <summary>The reconciler and the cluster caches. Without a cluster connection nothing here starts, and the
    /// webhook keeps its "unknown" namespace facts.</summary>
    public static IServiceCollection AddReconciliation(this IServiceCollection services)
    {
        services.AddOptions<ReconcilerOptions>().BindConfiguration(ReconcilerOptions.Section).ValidateWith(new ReconcilerOptionsValidator()).ValidateOnStart();
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SourcesOptions>, SourcesOptionsValidator>();
        services.AddOptions<ServiceAccountOptions>().BindConfiguration(ServiceAccountOptions.Section).ValidateOnStart();
        services.AddOptions<PlaceholdersOptions>().BindConfiguration(PlaceholdersOptions.Section).ValidateOnStart();
        services.AddOptions<SlippedPodsOptions>().BindConfiguration(SlippedPodsOptions.Section).ValidateWith(new SlippedPodsOptionsValidator()).ValidateOnStart();
        services.AddSingleton<ClusterCaches>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SourcesOptions>>().Value;
            return new SourceAnalyzer(options.EffectiveNamespaces(sp.GetRequiredService<KubeEnvironment>().OwnNamespace), options.Secrets);
        });
        services.AddSingleton<DesiredTargetCalculator>();
        services.AddSingleton<NamespaceAssessor>();
        services.AddSingleton<KeptLastGood>();
        services.AddSingleton<ExportedKeyrings>();
        services.AddSingleton<CachedNamespaceFacts>();
        services.AddSingleton<EventRecorder>();
        services.AddSingleton<ReconcilerMetrics>();

        // The kinds of work, each a reconciler on the generic loop (README, "How the reconciler works"). Sources first:
        // a deleted source's analysis is forgotten before the namespaces it left are queued.
        services.AddController<SourceWork, SourceReporter, SourceReporter>(_ => 1);
        services.AddController<NamespaceWork, NamespaceReconciler, NamespaceWorkSource>(options => options.Concurrency);

        // Per-namespace features beside the target, in this order, each with its own watch.
        services.AddNamespaceFeature<ServiceAccountFallback>();
        services.AddNamespaceFeature<PlaceholderFiller>();

        // Periodic leader-only work.
        services.AddSingleton<SlippedPodScanner>();
        services.AddSingleton<ILeaderWork>(sp => sp.GetRequiredService<SlippedPodScanner>());

        // The status room: what the reconcilers report, read by /status and the gauges.
        services.AddSingleton<NamespaceRecords>();
        services.AddSingleton<StatusService>();
        services.AddSingleton<StatusGauges>();
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

    /// <summary>One kind of work: its reconciler, where its work comes from, and a <see cref="Controller{TWork}"/> that
    /// the host runs while leading.</summary>
    // [DynamicallyAccessedMembers]: the container finds the constructors by reflection; under Native AOT the trimmer
    // removes them unless the generic parameters say so (IL2091; "A suitable constructor ... could not be located").
    private static void AddController<TWork, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TReconciler, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSource>(
        this IServiceCollection services, Func<ReconcilerOptions, int> workers)
        where TWork : notnull
        where TReconciler : class, IReconciler<TWork>
        where TSource : class, IWorkSource<TWork>
    {
        services.TryAddSingleton<TReconciler>();
        services.TryAddSingleton<TSource>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ReconcilerOptions>>().Value;
            return new Controller<TWork>(
                sp.GetRequiredService<TReconciler>(),
                sp.GetRequiredService<TSource>(),
                ControllerSettings.From(options, workers(options)),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<Controller<TWork>>>());
        });
        services.AddSingleton<IController>(sp => sp.GetRequiredService<Controller<TWork>>());
        services.AddSingleton<ILeaderWork>(sp => sp.GetRequiredService<Controller<TWork>>());
    }

    private static void AddNamespaceFeature<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFeature>(this IServiceCollection services)
        where TFeature : class, INamespaceFeature, IFeatureCache
    {
        services.AddSingleton<TFeature>();
        services.AddSingleton<INamespaceFeature>(sp => sp.GetRequiredService<TFeature>());
        services.AddSingleton<IFeatureCache>(sp => sp.GetRequiredService<TFeature>());
    }

    public static WebApplication MapReconciliation(this WebApplication app)
    {
        app.MapGet("/status", StatusEndpoint.WriteAsync).RequireClusterAccess();
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

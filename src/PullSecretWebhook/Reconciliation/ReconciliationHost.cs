using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube.Leader;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Status;
using PullSecretWebhook.Reconciliation.WorkLoop;

namespace PullSecretWebhook.Reconciliation;

/// <summary>Runs the reconciler (README, "How the reconciler works"): subscribes every controller to its changes,
/// starts the caches (every replica, so the webhook and a future leader stay warm), then takes part in leader
/// election; only while leading does the <see cref="ILeaderWork"/> — every <see cref="IController"/>'s workers, the
/// periodic scans — run and write. It knows no kind of work.</summary>
internal sealed class ReconciliationHost(
    ClusterCaches caches,
    IEnumerable<IFeatureCache> featureCaches,
    IEnumerable<IController> controllers,
    IEnumerable<ILeaderWork> leaderWork,
    StatusGauges gauges,
    LeaderElector elector,
    IOptions<LeaderElectionOptions> leaderOptions,
    IOptions<ReconcilerOptions> options,
    ILogger<ReconciliationHost> logger) : BackgroundService
{
    private readonly IReadOnlyList<IFeatureCache> _featureCaches = [.. featureCaches];
    private readonly IReadOnlyList<IController> _controllers = [.. controllers];
    private readonly IReadOnlyList<ILeaderWork> _leaderWork = [.. leaderWork];
    private volatile bool _leading;

    public bool IsLeading => _leading;

    public string Identity => elector.Identity;

    public string? Leader => leaderOptions.Value.Enabled ? elector.CurrentLeader : elector.Identity;

    /// <summary>Items waiting in every controller's queue.</summary>
    public int QueueDepth => _controllers.Sum(c => c.Depth);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var controller in _controllers)
        {
            controller.Watch();
        }

        gauges.Observe(() => QueueDepth);
        var cachesTask = Task.WhenAll([caches.RunAsync(stoppingToken), .. _featureCaches.Select(c => c.RunAsync(stoppingToken))]);
        try
        {
            await caches.WaitForSyncAsync(stoppingToken);
            foreach (var featureCache in _featureCaches)
            {
                await featureCache.WaitForSyncAsync(stoppingToken);
            }

            ReconcilerLog.Synced(logger, caches.Namespaces.Count, caches.ExportedSecrets().Count, caches.Targets.Count);
            if (leaderOptions.Value.Enabled)
            {
                ReconcilerLog.Following(logger);
                await elector.CampaignUntilStoppedAsync(new LeaderCallbacks { OnStartedLeading = LeadAsync }, stoppingToken);
            }
            else
            {
                await LeadAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await cachesTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Runs for as long as this replica leads: every controller checks all its work once at the start, then
    /// on every change and every resync period.</summary>
    private async Task LeadAsync(CancellationToken leadership)
    {
        _leading = true;
        ReconcilerLog.Leading(logger, options.Value.Concurrency);
        try
        {
            await Task.WhenAll(_leaderWork.Select(work => work.RunWhileLeadingAsync(leadership)));
        }
        finally
        {
            _leading = false;
        }
    }
}

using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube.Leader;
using k8s.Models;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Reconciliation.Loop;
using PullSecretWebhook.Reconciliation.Placeholders;
using PullSecretWebhook.Reconciliation.ServiceAccounts;
using PullSecretWebhook.Reconciliation.SlippedPods;
using PullSecretWebhook.Reconciliation.Sources;
using PullSecretWebhook.Reconciliation.Status;
using PullSecretWebhook.Reconciliation.Targets;

namespace PullSecretWebhook.Reconciliation;

/// <summary>Runs the reconciler: starts the caches (every replica, so the webhook and a future leader stay warm),
/// then takes part in leader election; only while leading do the workers reconcile and write. Queue keys are
/// namespace names, plus <c>namespace/name</c> for an exported Secret whose problems are to be reported (a '/'
/// never appears in a namespace name).</summary>
internal sealed class ReconciliationHost(
    ClusterCaches caches,
    ServiceAccountFallback serviceAccounts,
    PlaceholderFiller placeholders,
    NamespaceReconciler reconciler,
    SourceReporter sources,
    SlippedPodScanner slippedPods,
    IOptions<SlippedPodsOptions> slippedPodsOptions,
    StatusService status,
    KeptLastGood kept,
    LeaderElector elector,
    IOptions<LeaderElectionOptions> leaderOptions,
    IOptions<ReconcilerOptions> options,
    ReconcilerMetrics metrics,
    IEnumerable<ILeaderWork> leaderWork,
    TimeProvider time,
    ILogger<ReconciliationHost> logger) : BackgroundService
{
    private readonly ReconcilerOptions _options = options.Value;
    private readonly WorkQueue _queue = new(time, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay);
    private volatile bool _leading;

    public bool IsLeading => _leading;

    public string Identity => elector.Identity;

    public string? Leader => leaderOptions.Value.Enabled ? elector.CurrentLeader : elector.Identity;

    public WorkQueue Queue => _queue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        caches.Namespaces.AddHandler((change, _) => Enqueue(change.Object.Metadata.Name));
        caches.Targets.AddHandler((change, _) => Enqueue(change.Object.Metadata.NamespaceProperty));
        caches.AddSourceHandler(OnSourceChangedAsync);
        metrics.Observe(
            status.StateCounts,
            () => _queue.Depth,
            () => reconciler.LastSuccess is { } at ? (time.GetUtcNow() - at).TotalSeconds : null,
            () => slippedPods.LastScan is null ? null : slippedPods.Found.Count);
        metrics.ObserveHeldSources(kept.Gauge);

        serviceAccounts.Accounts?.AddHandler((change, _) => Enqueue(change.Object.Metadata.NamespaceProperty));
        placeholders.Candidates?.AddHandler((change, _) => PlaceholderFiller.IsPlaceholder(change.Object) ? Enqueue(change.Object.Metadata.NamespaceProperty) : Task.CompletedTask);

        var cachesTask = Task.WhenAll(
            caches.RunAsync(stoppingToken),
            serviceAccounts.Accounts?.RunAsync(stoppingToken) ?? Task.CompletedTask,
            placeholders.Candidates?.RunAsync(stoppingToken) ?? Task.CompletedTask);
        try
        {
            await caches.WaitForSyncAsync(stoppingToken);
            if (serviceAccounts.Accounts is { } watched)
            {
                await watched.WaitForSyncAsync(stoppingToken);
            }

            if (placeholders.Candidates is { } candidates)
            {
                await candidates.WaitForSyncAsync(stoppingToken);
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
            _queue.Dispose();
        }
    }

    /// <summary>Runs for as long as this replica leads: every namespace is checked once at the start, then on every
    /// change and every resync period.</summary>
    private async Task LeadAsync(CancellationToken leadership)
    {
        _leading = true;
        ReconcilerLog.Leading(logger, _options.Concurrency);
        try
        {
            EnqueueEverything();
            var workers = Enumerable.Range(0, _options.Concurrency).Select(_ => WorkAsync(leadership)).ToList();
            workers.Add(ResyncAsync(leadership));
            workers.AddRange(leaderWork.Select(work => work.RunWhileLeadingAsync(leadership)));
            if (slippedPodsOptions.Value.Enabled)
            {
                workers.Add(ScanSlippedPodsAsync(leadership));
            }

            await Task.WhenAll(workers);
        }
        finally
        {
            _leading = false;
        }
    }

    private async Task ResyncAsync(CancellationToken leadership)
    {
        using var timer = new PeriodicTimer(_options.ResyncPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(leadership))
            {
                // From the caches only: a namespace already in sync costs no API call.
                EnqueueEverything();
            }
        }
        catch (OperationCanceledException)
        {
            // Leadership ended.
        }
    }

    /// <summary>The slipped-Pod scan, leader only, once per interval. A failed scan is logged and waits for the next
    /// interval: it is a report, and must never add load when the API server is struggling.</summary>
    private async Task ScanSlippedPodsAsync(CancellationToken leadership)
    {
        using var timer = new PeriodicTimer(slippedPodsOptions.Value.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(leadership))
            {
                try
                {
                    await slippedPods.ScanAsync(time.GetUtcNow(), leadership);
                }
                catch (Exception e) when (Kube.KubeApiException.IsApiFailure(e))
                {
                    ReconcilerLog.ScanFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Leadership ended.
        }
    }

    private async Task WorkAsync(CancellationToken leadership)
    {
        while (!leadership.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await _queue.TakeAsync(leadership);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (key.Contains('/', StringComparison.Ordinal))
                {
                    await sources.ReportAsync(key, leadership);
                }
                else
                {
                    await reconciler.ReconcileAsync(key, leadership);
                }

                _queue.Forget(key);
            }
            catch (OperationCanceledException) when (leadership.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A worker must survive anything one key throws: retry it with backoff, keep going.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var delay = _queue.AddRateLimited(key);
                ReconcilerLog.Failed(logger, e, key, _queue.Failures(key), delay);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    private Task OnSourceChangedAsync(InformerEvent<V1Secret> change, CancellationToken cancellationToken)
    {
        if (change.Type == InformerEventType.Deleted)
        {
            sources.Forget(change.Object);
        }
        else
        {
            _queue.Add($"{change.Object.Metadata.NamespaceProperty}/{change.Object.Metadata.Name}");
        }

        // A source may enter or leave any namespace's merge (its scope may have changed too): check them all.
        // Namespaces in sync cost nothing beyond the comparison.
        EnqueueAllNamespaces();
        return Task.CompletedTask;
    }

    private Task Enqueue(string? key)
    {
        if (!string.IsNullOrEmpty(key))
        {
            _queue.Add(key);
        }

        return Task.CompletedTask;
    }

    private void EnqueueAllNamespaces()
    {
        foreach (var ns in caches.Namespaces.List())
        {
            Enqueue(ns.Metadata.Name);
        }
    }

    private void EnqueueEverything()
    {
        EnqueueAllNamespaces();
        foreach (var source in caches.ExportedSecrets())
        {
            _queue.Add($"{source.Metadata.NamespaceProperty}/{source.Metadata.Name}");
        }
    }
}

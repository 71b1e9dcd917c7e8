using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Reconciliation.Events;
using PullSecretWebhook.Reconciliation.WorkLoop;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.Sources;

/// <summary>Reports exported Secrets that cannot be used (invalid content, wrong type, exported from a namespace
/// that is not a source): a log line and a Warning Event on the Secret, at most once per event interval. A source
/// that turned invalid while the targets keep its last good entries says so, and in how many namespaces.</summary>
internal sealed class SourceReporter(ClusterCaches caches, SourceAnalyzer analyzer, KeptLastGood kept, EventRecorder events, ReconcilerMetrics metrics, ILogger<SourceReporter> logger)
    : IReconciler<SourceWork>, IWorkSource<SourceWork>
{
    /// <summary>An exported Secret changed: report it; deleted: forget its analysis.</summary>
    public void Watch(Action<SourceWork> enqueue) =>
        caches.AddSourceHandler((change, _) =>
        {
            if (change.Type == InformerEventType.Deleted)
            {
                analyzer.Forget(change.Object);
            }
            else
            {
                enqueue(WorkFor(change.Object));
            }

            return Task.CompletedTask;
        });

    public IEnumerable<SourceWork> All() => caches.ExportedSecrets().Select(WorkFor);

    public async Task<ReconcileResult> ReconcileAsync(SourceWork work, CancellationToken cancellationToken)
    {
        await ReportAsync(work, cancellationToken);
        return ReconcileResult.Done;
    }

    private static SourceWork WorkFor(V1Secret secret) => new(secret.Metadata.NamespaceProperty ?? "", secret.Metadata.Name ?? "");

    private async Task ReportAsync(SourceWork work, CancellationToken cancellationToken)
    {
        if (!caches.TryGetExported(work.Namespace, work.Name, out var secret))
        {
            return;
        }

        var analysis = analyzer.Analyze(secret);
        if (analysis.Problem is null)
        {
            return;
        }

        // A namespace being deleted refuses new objects (NamespaceLifecycle answers 403 Forbidden), and its Secrets
        // are about to go: nothing to report there (found on a real API server, where a deleted namespace's
        // exported Secret lingers until the namespace controller reaches it).
        if (caches.Namespaces.TryGet(null, analysis.Namespace, out var ns) && ns.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        metrics.InvalidSource();
        var reason = analyzer.SourceNamespaces.Contains(analysis.Namespace) ? "InvalidSource" : "NotASourceNamespace";
        var (namespaces, registries) = kept.KeptIn(analysis);
        if (namespaces > 0)
        {
            // The invalid-source rule, said loudly: the targets keep what was last good, so pulls go on working, but
            // the credentials there no longer follow the source.
            // The message names no count, so that namespaces created meanwhile do not each post another Event.
            var message = $"Not usable: {analysis.Problem}. Its last good entries ({string.Join(", ", registries)}) are kept in the targets that hold them until it is valid again, deleted or unexported; /status counts them (lastGoodKeptIn).";
            if (await events.WarnAsync(secret, reason, message, cancellationToken))
            {
                ReconcilerLog.SourceHeld(logger, analysis.Id, analysis.Problem, namespaces);
            }

            return;
        }

        if (await events.WarnAsync(secret, reason, $"Not exported by pullsecret-webhook: {analysis.Problem}.", cancellationToken))
        {
            ReconcilerLog.SourceSkipped(logger, analysis.Id, analysis.Problem);
        }
    }
}

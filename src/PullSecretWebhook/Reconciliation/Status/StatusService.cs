using System.Diagnostics.Metrics;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Desired;

namespace PullSecretWebhook.Reconciliation.Status;

/// <summary>Computes <c>GET /status</c> from the caches (so followers answer too) and this replica's reconcile
/// records. No credential ever appears: only names, states and registry host keys.</summary>
internal sealed class StatusService(ClusterCaches caches, NamespaceAssessor assessor, NamespaceRecords records, SourceAnalyzer analyzer, TimeProvider time)
{
    private static readonly TimeSpan GaugeMemo = TimeSpan.FromSeconds(15);
    private readonly Lock _memoLock = new();
    private (DateTimeOffset At, IReadOnlyList<NamespaceReport> Reports)? _memo;

    public IReadOnlyList<NamespaceReport> Namespaces()
    {
        var reports = new List<NamespaceReport>();
        foreach (var ns in caches.Namespaces.List().OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            var name = ns.Metadata.Name ?? "";
            if (assessor.Assess(name) is not var (desired, _, state))
            {
                continue;
            }

            var record = records.Of(name);
            var summary = desired.Reason switch
            {
                DesiredReason.Excluded or DesiredReason.OptedOut or DesiredReason.Terminating => "Excluded",
                _ when state == TargetState.NotOurs => "Conflict",
                _ when record?.LastError is not null => "Error",
                _ when state is TargetState.UpToDate or TargetState.NotWanted => "UpToDate",
                _ => "Pending",
            };
            reports.Add(new NamespaceReport(name, summary, state, desired.Reason, desired.Merge?.Sources ?? [], desired.Merge?.Keys ?? [], record?.LastSync, record?.LastError)
            {
                KeptLastGood = desired.Held,
            });
        }

        return reports;
    }

    public IReadOnlyList<SourceAnalysis> Sources() =>
        [.. caches.ExportedSecrets().Select(analyzer.Analyze).OrderBy(s => s.Id, StringComparer.Ordinal)];

    /// <summary>Namespaces per state for the managed-namespaces gauge, recomputed at most every 15 s.</summary>
    public IEnumerable<Measurement<long>> StateCounts() =>
        caches.HasSynced
            ? MemoizedReports().GroupBy(r => r.State).Select(g => new Measurement<long>(g.Count(), new KeyValuePair<string, object?>("state", g.Key)))
            : [];

    private IReadOnlyList<NamespaceReport> MemoizedReports()
    {
        lock (_memoLock)
        {
            var now = time.GetUtcNow();
            if (_memo is not { } memo || now - memo.At > GaugeMemo)
            {
                _memo = memo = (now, Namespaces());
            }

            return memo.Reports;
        }
    }
}

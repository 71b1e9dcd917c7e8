using System.Diagnostics.Metrics;
using PullSecretWebhook.Reconciliation.Caches;

namespace PullSecretWebhook.Reconciliation.Desired;

/// <summary>Which invalid sources the targets still hold last good entries of (README, "When a source turns
/// invalid"), read from the targets' <c>pullsecret-webhook.io/origins</c> annotations in the cache: the same answer on
/// every replica, before and after a restart. Costs a look at each target only for sources that are invalid.</summary>
internal sealed class KeptLastGood(ClusterCaches caches, SourceAnalyzer analyzer)
{
    /// <summary>The targets that hold entries of this very Secret (by uid), and which registry keys; none for a
    /// usable source.</summary>
    public (int Namespaces, IReadOnlyList<string> Registries) KeptIn(SourceAnalysis analysis)
    {
        if (!analysis.MayHoldLastGood)
        {
            return (0, []);
        }

        var count = 0;
        var registries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var target in caches.Targets.List())
        {
            if (TargetOrigins.RecordedRegistries(target, analysis.Namespace, analysis.Name, analysis.Uid!) is { } keys)
            {
                count++;
                registries.UnionWith(keys);
            }
        }

        return (count, [.. registries]);
    }

    /// <summary>The <c>pullsecret_webhook_sources_invalid_kept</c> gauge: invalid sources held in at least one
    /// target (absent until the caches have synced).</summary>
    public IEnumerable<Measurement<long>> Gauge() =>
        caches.HasSynced
            ? [new Measurement<long>(caches.ExportedSecrets().Select(analyzer.Analyze).Count(a => KeptIn(a).Namespaces > 0))]
            : [];
}

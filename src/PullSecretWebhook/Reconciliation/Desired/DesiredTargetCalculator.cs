using PullSecretWebhook.Credentials;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Selection;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.Desired;

/// <summary>Computes a namespace's desired target from cached objects only (README, "Exporting credentials"). Pure: the
/// same namespace, sources and current target always give the same bytes.</summary>
internal sealed class DesiredTargetCalculator(NamespaceExclusion exclusion)
{
    /// <param name="ns">The namespace.</param>
    /// <param name="sources">Every exported Secret, analysed.</param>
    /// <param name="current">The namespace's target as it is: where the last good entries of a source that turned
    /// invalid are read back from when this process never saw the source valid (after a restart).</param>
    public DesiredTarget Calculate(V1Namespace ns, IEnumerable<SourceAnalysis> sources, V1Secret? current)
    {
        var name = ns.Metadata.Name ?? "";
        if (exclusion.IsExcluded(name) || exclusion.IsExcludedByAnnotation(ns.Metadata.AnnotationsView()))
        {
            return DesiredTarget.Nothing(DesiredReason.Excluded);
        }

        if (WellKnown.IsOptOut(ns.Metadata.LabelsView()?.GetValueOrDefault(WellKnown.InjectLabel)))
        {
            return DesiredTarget.Nothing(DesiredReason.OptedOut);
        }

        if (ns.Metadata.DeletionTimestamp is not null)
        {
            return DesiredTarget.Nothing(DesiredReason.Terminating);
        }

        var exported = new List<CredentialSource>();
        var held = new List<string>();
        foreach (var source in sources)
        {
            if (source.IsUsable)
            {
                if (source.Scope!.Includes(name, ns.Metadata.LabelsView()))
                {
                    exported.Add(source.Source!);
                }
            }
            else if (LastGood(source, name, ns.Metadata.LabelsView(), current) is { } lastGood)
            {
                // The invalid-source rule: a source that turned invalid keeps its last good entries where they are.
                exported.Add(lastGood);
                held.Add(source.Id);
            }
        }

        var merge = CredentialMerge.Merge(exported);
        IReadOnlyList<string> kept = [.. held.Where(id => merge.Sources.Contains(id, StringComparer.Ordinal)).Order(StringComparer.Ordinal)];
        return merge.IsEmpty
            ? new DesiredTarget(DesiredReason.NoSources, null, merge.Collisions)
            : new DesiredTarget(DesiredReason.Wanted, merge, merge.Collisions) { Held = kept };
    }

    /// <summary>The last good contribution of an invalid source to this namespace: what this process last saw valid
    /// (with the scope it had then), else what the namespace's target holds from that very Secret. A source invalid
    /// from its first sight has neither, and contributes nothing.</summary>
    private static CredentialSource? LastGood(SourceAnalysis source, string name, IReadOnlyDictionary<string, string>? labels, V1Secret? current)
    {
        if (!source.MayHoldLastGood)
        {
            return null;
        }

        if (source.LastGood is { } good)
        {
            return good.Scope!.Includes(name, labels) ? good.Source : null;
        }

        return TargetOrigins.Recover(current, source.Namespace, source.Name, source.Uid!);
    }
}

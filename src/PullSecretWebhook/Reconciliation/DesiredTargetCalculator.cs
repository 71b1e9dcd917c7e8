using PullSecretWebhook.Credentials;
using PullSecretWebhook.Kube.Models;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Reconciliation;

/// <summary>Computes a namespace's desired target from cached objects only (README, "Exporting credentials"). Pure: the
/// same namespace and sources always give the same bytes.</summary>
internal sealed class DesiredTargetCalculator(NamespaceExclusion exclusion)
{
    public DesiredTarget Calculate(Namespace ns, IEnumerable<SourceAnalysis> sources)
    {
        var name = ns.Metadata.Name ?? "";
        if (exclusion.IsExcluded(name))
        {
            return DesiredTarget.Nothing(DesiredReason.Excluded);
        }

        if (WellKnown.IsOptOut(ns.Metadata.Labels?.GetValueOrDefault(WellKnown.InjectLabel)))
        {
            return DesiredTarget.Nothing(DesiredReason.OptedOut);
        }

        if (ns.Metadata.DeletionTimestamp is not null)
        {
            return DesiredTarget.Nothing(DesiredReason.Terminating);
        }

        var exported = sources
            .Where(s => s.IsUsable && s.Scope!.Includes(name, ns.Metadata.Labels))
            .Select(s => s.Source!);
        var merge = CredentialMerge.Merge(exported);
        return merge.IsEmpty
            ? new DesiredTarget(DesiredReason.NoSources, null, merge.Collisions)
            : new DesiredTarget(DesiredReason.Wanted, merge, merge.Collisions);
    }
}

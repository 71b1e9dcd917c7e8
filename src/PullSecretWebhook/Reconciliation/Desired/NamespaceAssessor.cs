using Microsoft.Extensions.Options;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Selection;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.Desired;

/// <summary>A namespace's desired target, its cached target and the typed comparison of the two, from the caches only:
/// what the namespace reconciler acts on and what <c>/status</c> shows.</summary>
internal sealed class NamespaceAssessor(ClusterCaches caches, SourceAnalyzer analyzer, DesiredTargetCalculator calculator, IOptions<TargetOptions> target)
{
    private readonly AnnotationMatch? _adoptMarker = target.Value.AdoptMarker;

    /// <summary>Null when the namespace is not (or no longer) in the cache.</summary>
    public (DesiredTarget Desired, V1Secret? Actual, TargetState State)? Assess(string namespaceName)
    {
        if (!caches.Namespaces.TryGet(null, namespaceName, out var ns))
        {
            return null;
        }

        var actual = caches.Target(namespaceName);
        var desired = calculator.Calculate(ns, caches.ExportedSecrets().Select(analyzer.Analyze), actual);
        return (desired, actual, TargetAssessment.Assess(desired, actual, _adoptMarker));
    }
}

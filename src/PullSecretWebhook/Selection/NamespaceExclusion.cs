using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube;
using k8s.Models;

namespace PullSecretWebhook.Selection;

/// <summary>Decides whether a namespace is excluded by name: the always-excluded system namespaces, the server's own
/// namespace (it must never depend on itself to start its own Pods), and the <c>ExcludedNamespaces</c> setting.</summary>
internal sealed class NamespaceExclusion
{
    private readonly FrozenSet<string> _excluded;
    private readonly AnnotationMatch[] _annotations;

    public NamespaceExclusion(IOptions<NamespaceOptions> options, KubeEnvironment environment)
    {
        _excluded = WellKnown.AlwaysExcludedNamespaces
            .Append(environment.OwnNamespace)
            .Concat(options.Value.ExcludedNamespaces.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()))
            .ToFrozenSet(StringComparer.Ordinal);
        _annotations = [.. options.Value.ExcludedNamespaceAnnotations.Select(a => AnnotationMatch.TryParse(a, out var match) ? match : null).OfType<AnnotationMatch>()];
    }

    public IReadOnlySet<string> Names => _excluded;

    public bool IsExcluded(string? namespaceName) => namespaceName is not null && _excluded.Contains(namespaceName);

    /// <summary>Whether a namespace's annotations exclude it (<c>ExcludedNamespaceAnnotations</c>). Annotations cannot
    /// be selected on by the API server, so the webhook is still called there and skips from the cache.</summary>
    public bool IsExcludedByAnnotation(IReadOnlyDictionary<string, string>? annotations) =>
        _annotations.Length > 0 && _annotations.Any(a => a.Matches(annotations));

    /// <summary>Whether the namespace object itself turns injection down: the opt-out label, or an exclusion
    /// annotation. The one test the webhook's facts and the slipped-Pod scan share.</summary>
    public bool IsTurnedDownBy(V1Namespace ns) =>
        WellKnown.IsOptOut(ns.Metadata.LabelsView()?.GetValueOrDefault(WellKnown.InjectLabel)) || IsExcludedByAnnotation(ns.Metadata.AnnotationsView());
}

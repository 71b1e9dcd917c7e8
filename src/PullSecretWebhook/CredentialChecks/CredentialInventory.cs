using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Desired;
using k8s.Models;

namespace PullSecretWebhook.CredentialChecks;

/// <summary>The credentials to check, read from the reconciler's caches and its <see cref="SourceAnalyzer"/> (parsed
/// once per source change): only usable sources, since an ignored source reaches no Pod and is worth no registry
/// traffic.</summary>
internal sealed class CredentialInventory(ClusterCaches caches, SourceAnalyzer analyzer)
{
    public IReadOnlyList<SourceCredentials> Sources() =>
        [.. caches.Sources.List().Select(Of).OfType<SourceCredentials>().OrderBy(s => s.Id, StringComparer.Ordinal)];

    /// <summary>The distinct targets: a credential held by many sources (or exported to many namespaces) is one.</summary>
    public IReadOnlySet<CheckTarget> Targets() =>
        Sources().SelectMany(s => s.Keys).Select(k => k.Target).OfType<CheckTarget>().ToHashSet();

    public SourceCredentials? Of(V1Secret secret) => SourceCredentials.Of(analyzer.Analyze(secret), secret);
}

using System.Collections.Concurrent;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Selection;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.Desired;

/// <summary>Turns exported Secrets into <see cref="SourceAnalysis"/>. Parsing is cached per uid and resourceVersion:
/// a source is read once per change, not once per namespace it is exported to.</summary>
internal sealed class SourceAnalyzer(IReadOnlySet<string> sourceNamespaces, IEnumerable<NamedSourceOptions>? named = null)
{
    /// <summary><c>Sources:Secrets</c> by id; the value is the scope the settings give (null: the Secret's own
    /// annotations decide).</summary>
    private readonly Dictionary<string, NamedSourceOptions> _named = (named ?? []).DistinctBy(n => n.Id, StringComparer.Ordinal).ToDictionary(n => n.Id, StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, (string? ResourceVersion, SourceAnalysis Analysis)> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SourceAnalysis> _lastGood = new(StringComparer.Ordinal);

    public IReadOnlySet<string> SourceNamespaces => sourceNamespaces;

    public SourceAnalysis Analyze(V1Secret secret)
    {
        var key = $"{secret.Metadata.NamespaceProperty}/{secret.Metadata.Name}";
        if (_cache.TryGetValue(key, out var cached) && cached.ResourceVersion == secret.Metadata.ResourceVersion && cached.Analysis.Uid == secret.Metadata.Uid)
        {
            return cached.Analysis;
        }

        var analysis = AnalyzeUncached(secret) with { Named = _named.ContainsKey(key) };
        if (analysis.IsUsable)
        {
            _lastGood[key] = analysis;
        }
        else if (analysis.MayHoldLastGood && _lastGood.TryGetValue(key, out var good) && good.Uid == analysis.Uid)
        {
            // The same Secret was valid before: its last good contribution stays until it is valid again, deleted
            // or unexported (a provider outage or a template error must not become a cluster-wide pull failure).
            analysis = analysis with { LastGood = good };
        }

        _cache[key] = (secret.Metadata.ResourceVersion, analysis);
        return analysis;
    }

    /// <summary>Forgets a deleted (or unexported) Secret, and with it its last good contribution.</summary>
    public void Forget(V1Secret secret)
    {
        var key = $"{secret.Metadata.NamespaceProperty}/{secret.Metadata.Name}";
        _cache.TryRemove(key, out _);
        _lastGood.TryRemove(key, out _);
    }

    private SourceAnalysis AnalyzeUncached(V1Secret secret)
    {
        var ns = secret.Metadata.NamespaceProperty ?? "";
        var name = secret.Metadata.Name ?? "";
        var uid = secret.Metadata.Uid;
        if (!sourceNamespaces.Contains(ns))
        {
            // A tenant must never push credentials into other tenants' namespaces (README, "Exporting credentials").
            return new(ns, name, uid, null, null, $"exported from namespace {ns}, which is not a source namespace ({string.Join(", ", sourceNamespaces.Order(StringComparer.Ordinal))}); ignored")
            {
                InSourceNamespace = false,
            };
        }

        var payload = SecretPayload.Read(secret.Type, secret.DataView());
        if (!payload.IsValid)
        {
            return new(ns, name, uid, null, null, payload.Problem);
        }

        if (!payload.HasAuthsKey && secret.Type == SecretTypes.DockerConfigJson)
        {
            return new(ns, name, uid, null, null, "the .dockerconfigjson has no \"auths\" key, so the kubelet reads nothing from it; a legacy top-level map belongs in a kubernetes.io/dockercfg Secret");
        }

        var scopeAnnotations = _named.TryGetValue($"{ns}/{name}", out var entry) && entry.HasScope
            ? SourcesOptionsValidator.ScopeAnnotations(entry)
            : secret.Metadata.AnnotationsView();
        if (!ExportScope.TryParse(scopeAnnotations, out var scope, out var problem))
        {
            return new(ns, name, uid, null, null, problem);
        }

        return new(ns, name, uid, new CredentialSource(ns, name, payload.Entries, uid), scope, null);
    }
}

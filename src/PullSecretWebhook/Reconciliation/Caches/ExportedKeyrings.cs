using System.Collections.Concurrent;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Reconciliation.Desired;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.Caches;

/// <summary>Per namespace, the kubelet's keyring over the credentials exported to it, computed from the caches
/// exactly as the reconciler computes the target (<see cref="DesiredTargetCalculator"/>), for
/// <c>Injection:Mode=MatchingRegistries</c>. Cached per namespace and reused while the namespace object and the
/// exported Secrets are the very objects it was computed from (an informer replaces an object on every change), so
/// the admission path normally costs a snapshot of the sources and a dictionary lookup.</summary>
internal sealed class ExportedKeyrings(ClusterCaches caches, SourceAnalyzer analyzer, DesiredTargetCalculator calculator)
{
    private readonly ConcurrentDictionary<string, Computed> _cache = new(StringComparer.Ordinal);

    /// <summary>Null when unknown: the caches have not synced, or the namespace has not been seen yet.</summary>
    public RegistryKeyring? For(string namespaceName)
    {
        if (!caches.Namespaces.HasSynced || !caches.SourcesHaveSynced || !caches.Namespaces.TryGet(null, namespaceName, out var ns))
        {
            return null;
        }

        var sources = caches.ExportedSecrets();
        var target = caches.Target(namespaceName);
        if (_cache.TryGetValue(namespaceName, out var computed) && computed.IsFor(ns, sources, target))
        {
            return computed.Keyring;
        }

        var desired = calculator.Calculate(ns, sources.Select(analyzer.Analyze), target);
        var keyring = desired.Merge is { } merge ? new RegistryKeyring(merge.Entries) : RegistryKeyring.Empty;
        _cache[namespaceName] = new Computed(ns, new HashSet<V1Secret>(sources, ReferenceEqualityComparer.Instance), target, keyring);
        if (_cache.Count > caches.Namespaces.Count + 64)
        {
            // Namespaces come and go: drop entries of those no longer cached.
            foreach (var name in _cache.Keys)
            {
                if (!caches.Namespaces.TryGet(null, name, out _))
                {
                    _cache.TryRemove(name, out _);
                }
            }
        }

        return keyring;
    }

    /// <remarks>The target takes part because the last good entries of an invalid source are read back from it.</remarks>
    private sealed record Computed(V1Namespace Namespace, HashSet<V1Secret> Sources, V1Secret? Target, RegistryKeyring Keyring)
    {
        public bool IsFor(V1Namespace ns, IReadOnlyList<V1Secret> sources, V1Secret? target)
        {
            if (!ReferenceEquals(ns, Namespace) || !ReferenceEquals(target, Target) || sources.Count != Sources.Count)
            {
                return false;
            }

            foreach (var source in sources)
            {
                if (!Sources.Contains(source))
                {
                    return false;
                }
            }

            return true;
        }
    }
}

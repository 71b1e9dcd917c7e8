using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Selection;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.Caches;

/// <summary>The three watches the reconciler and the webhook read from. Never a watch on every Secret of the cluster:
/// sources are selected by the export label, targets by name (field selector).</summary>
/// <remarks>Sources are watched in every namespace, by label, rather than only in the source namespaces: that is the
/// only way to see — and report — a Secret exported from a namespace that is not a source, and it needs no permission
/// beyond the cluster-wide Secret access the targets need anyway.</remarks>
internal sealed class ClusterCaches
{
    /// <summary>How long a write of ours stands in for the cache before the watch must have caught up.</summary>
    private static readonly TimeSpan OverlayLifetime = TimeSpan.FromSeconds(30);

    private readonly string _targetName;
    private readonly TimeProvider _time;
    private readonly Lock _overlayLock = new();
    private readonly ConcurrentDictionary<string, (V1Secret? Written, DateTimeOffset At)> _recentWrites = new(StringComparer.Ordinal);

    private readonly NamespaceExclusion _exclusion;

    public ClusterCaches(KubeInformerFactory informers, IOptions<TargetOptions> target, IOptions<SourcesOptions> sources, NamespaceExclusion exclusion, TimeProvider time)
    {
        _exclusion = exclusion;
        _targetName = target.Value.SecretName;
        _time = time;
        Namespaces = informers.Create(KubeKinds.Namespaces);
        Sources = informers.Create(KubeKinds.Secrets, new InformerOptions { LabelSelector = $"{WellKnown.ExportLabel}=true" });
        // Sources:Secrets: one small watch per named Secret, in its namespace, by name (a field selector takes one name).
        NamedSources = [.. sources.Value.Secrets.DistinctBy(n => n.Id, StringComparer.Ordinal)
            .Select(n => informers.Create(KubeKinds.Secrets, new InformerOptions { Namespace = n.Namespace, FieldSelector = $"metadata.name={n.Name}" }))];
        Targets = informers.Create(KubeKinds.Secrets, new InformerOptions { FieldSelector = $"metadata.name={_targetName}" });
        Targets.AddHandler((change, _) =>
        {
            ForgetOverlayIfCaughtUp(change);
            return Task.CompletedTask;
        });
    }

    public Informer<V1Namespace> Namespaces { get; }

    public Informer<V1Secret> Sources { get; }

    public Informer<V1Secret> Targets { get; }

    /// <summary>The watches of <c>Sources:Secrets</c>, one per named Secret.</summary>
    public IReadOnlyList<Informer<V1Secret>> NamedSources { get; }

    public bool HasSynced => Namespaces.HasSynced && SourcesHaveSynced && Targets.HasSynced;

    public bool SourcesHaveSynced => Sources.HasSynced && NamedSources.All(n => n.HasSynced);

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll([Namespaces.RunAsync(cancellationToken), Sources.RunAsync(cancellationToken), Targets.RunAsync(cancellationToken), .. NamedSources.Select(n => n.RunAsync(cancellationToken))]);

    public async Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll([Namespaces.WaitForSyncAsync(cancellationToken), Sources.WaitForSyncAsync(cancellationToken), Targets.WaitForSyncAsync(cancellationToken), .. NamedSources.Select(n => n.WaitForSyncAsync(cancellationToken))]);

    /// <summary>Every exported Secret: those labelled for export, and those <c>Sources:Secrets</c> names (once each).</summary>
    public IReadOnlyList<V1Secret> ExportedSecrets()
    {
        var labelled = Sources.List();
        if (NamedSources.Count == 0)
        {
            return labelled;
        }

        var all = new List<V1Secret>(labelled);
        foreach (var named in NamedSources)
        {
            foreach (var secret in named.List())
            {
                if (!Sources.TryGet(secret.Metadata.NamespaceProperty, secret.Metadata.Name ?? "", out _))
                {
                    all.Add(secret);
                }
            }
        }

        return all;
    }

    /// <summary>An exported Secret by namespace and name, labelled or named by the settings.</summary>
    public bool TryGetExported(string ns, string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out V1Secret secret)
    {
        if (Sources.TryGet(ns, name, out secret))
        {
            return true;
        }

        foreach (var named in NamedSources)
        {
            if (named.TryGet(ns, name, out secret))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Calls <paramref name="handler"/> on every change of an exported Secret, whichever watch saw it.</summary>
    public void AddSourceHandler(Func<InformerEvent<V1Secret>, CancellationToken, Task> handler)
    {
        Sources.AddHandler(handler);
        foreach (var named in NamedSources)
        {
            named.AddHandler(handler);
        }
    }

    /// <summary>The target Secret of a namespace as we last know it: our own latest write until the watch shows it.</summary>
    public V1Secret? Target(string namespaceName)
    {
        if (_recentWrites.TryGetValue(namespaceName, out var written))
        {
            if (_time.GetUtcNow() - written.At < OverlayLifetime)
            {
                return written.Written;
            }

            _recentWrites.TryRemove(namespaceName, out _);
        }

        return Targets.TryGet(namespaceName, _targetName, out var secret) ? secret : null;
    }

    /// <summary>Records a write (null for a delete) so that a reconcile before the watch event does not repeat it.
    /// The informer updates its cache before it calls handlers; checking the cache and setting the overlay under the
    /// same lock as the handler's clearing means an event that overtook the write's response cannot be missed.</summary>
    public void RecordWrite(string namespaceName, V1Secret? written)
    {
        lock (_overlayLock)
        {
            var cached = Targets.TryGet(namespaceName, _targetName, out var secret) ? secret : null;
            var alreadySeen = written is null ? cached is null : cached?.Metadata.ResourceVersion == written.Metadata.ResourceVersion;
            if (alreadySeen)
            {
                _recentWrites.TryRemove(namespaceName, out _);
            }
            else
            {
                _recentWrites[namespaceName] = (written, _time.GetUtcNow());
            }
        }
    }

    /// <summary>What the caches know of a namespace for the webhook (<see cref="CachedNamespaceFacts"/>).</summary>
    public NamespaceFacts Facts(string namespaceName)
    {
        bool? optedOut = null;
        if (Namespaces.HasSynced)
        {
            optedOut = Namespaces.TryGet(null, namespaceName, out var ns)
                ? _exclusion.IsTurnedDownBy(ns)
                : null; // not seen yet: a namespace created a moment ago
        }

        bool? present = Targets.HasSynced ? Targets.TryGet(namespaceName, _targetName, out _) : null;
        return new NamespaceFacts(optedOut, present);
    }

    private void ForgetOverlayIfCaughtUp(InformerEvent<V1Secret> change)
    {
        var ns = change.Object.Metadata.NamespaceProperty;
        if (ns is null || !_recentWrites.TryGetValue(ns, out var written))
        {
            return;
        }

        // A deletion always ends the overlay: whatever we wrote is gone. Otherwise only the event of our own write.
        lock (_overlayLock)
        {
            if (change.Type == InformerEventType.Deleted
                || (written.Written is not null && change.Object.Metadata.ResourceVersion == written.Written.Metadata.ResourceVersion))
            {
                _recentWrites.TryRemove(ns, out _);
            }
        }
    }
}

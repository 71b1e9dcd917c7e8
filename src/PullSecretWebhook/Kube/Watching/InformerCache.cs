using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Kube.Watching;

/// <summary>The informer's thread-safe store, keyed <c>namespace/name</c> (or <c>name</c> when cluster-scoped).</summary>
internal sealed class InformerCache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    public static string KeyOf(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    public static string KeyOf(T obj) => KeyOf(obj.Metadata.NamespaceProperty, obj.Metadata.Name ?? string.Empty);

    public bool TryGet(string key, [MaybeNullWhen(false)] out T obj)
    {
        lock (_lock)
        {
            return _items.TryGetValue(key, out obj);
        }
    }

    public List<T> Snapshot(Func<T, bool>? filter = null)
    {
        lock (_lock)
        {
            return filter is null ? [.. _items.Values] : [.. _items.Values.Where(filter)];
        }
    }

    /// <summary>Stores <paramref name="obj"/>; returns what it replaced.</summary>
    public T? Upsert(T obj)
    {
        var key = KeyOf(obj);
        lock (_lock)
        {
            _items.TryGetValue(key, out var old);
            _items[key] = obj;
            return old;
        }
    }

    public T? Remove(T obj)
    {
        lock (_lock)
        {
            return _items.Remove(KeyOf(obj), out var old) ? old : null;
        }
    }

    /// <summary>Swaps in a fresh list; returns the events that turn the old content into the new.</summary>
    public List<InformerEvent<T>> Replace(IEnumerable<T> items)
    {
        var events = new List<InformerEvent<T>>();
        lock (_lock)
        {
            var fresh = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                var key = KeyOf(item);
                fresh[key] = item;
                if (!_items.TryGetValue(key, out var old))
                {
                    events.Add(new InformerEvent<T>(InformerEventType.Added, item));
                }
                else if (old.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
                {
                    events.Add(new InformerEvent<T>(InformerEventType.Updated, item, old));
                }
            }

            // Deleted while we were not watching (e.g. during the gap before a 410 relist).
            foreach (var (key, old) in _items)
            {
                if (!fresh.ContainsKey(key))
                {
                    events.Add(new InformerEvent<T>(InformerEventType.Deleted, old));
                }
            }

            _items.Clear();
            foreach (var (key, item) in fresh)
            {
                _items[key] = item;
            }
        }

        return events;
    }
}

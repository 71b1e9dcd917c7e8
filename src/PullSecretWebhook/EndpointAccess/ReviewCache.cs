using System.Diagnostics.CodeAnalysis;

namespace PullSecretWebhook.EndpointAccess;

/// <summary>Review answers by key for a fixed time, at most <paramref name="capacity"/> of them: when full, the expired
/// ones go first, then the one closest to expiring. Keys are token hashes, never tokens.</summary>
internal sealed class ReviewCache<T>(int capacity, TimeSpan duration, TimeProvider time)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(string key, [MaybeNullWhen(false)] out T value)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                if (entry.Expires > now)
                {
                    value = entry.Value;
                    return true;
                }

                _entries.Remove(key);
            }
        }

        value = default;
        return false;
    }

    public void Set(string key, T value)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.ContainsKey(key) && _entries.Count >= capacity)
            {
                MakeRoom(now);
            }

            _entries[key] = new Entry(value, now + duration);
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Expires <= now)
            {
                _entries.Remove(key);
            }
        }

        if (_entries.Count < capacity)
        {
            return;
        }

        // Every entry lives as long: the one closest to expiring is the oldest.
        var oldest = _entries.MinBy(e => e.Value.Expires).Key;
        _entries.Remove(oldest);
    }

    private readonly record struct Entry(T Value, DateTimeOffset Expires);
}

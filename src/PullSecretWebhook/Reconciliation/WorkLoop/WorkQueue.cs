namespace PullSecretWebhook.Reconciliation.WorkLoop;

/// <summary>A deduplicating work queue with per-item retry backoff, in the manner of client-go's workqueue: an item
/// waits at most once however often it is added; an item added while being processed is processed again after; an
/// item is never processed by two workers at once. Items are typed values compared by equality (one kind of work per
/// queue). Delays run on the injected <see cref="TimeProvider"/>.</summary>
internal sealed class WorkQueue<TWork> : IDisposable
    where TWork : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<TWork> _queue = new();
    private readonly HashSet<TWork> _dirty = new();
    private readonly HashSet<TWork> _processing = new();
    private readonly Dictionary<TWork, int> _failures = new();
    private readonly Dictionary<TWork, ITimer> _delayed = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeProvider _time;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private bool _disposed;

    public WorkQueue(TimeProvider time, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        _time = time;
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    /// <summary>Keys waiting to be processed (not counting those in progress or delayed).</summary>
    public int Depth
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public void Add(TWork key)
    {
        lock (_lock)
        {
            if (_disposed || !_dirty.Add(key))
            {
                return;
            }

            if (!_processing.Contains(key))
            {
                _queue.Enqueue(key);
                _available.Release();
            }
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending delayed add for it wins.</summary>
    public void AddAfter(TWork key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_lock)
        {
            if (_disposed || _delayed.ContainsKey(key))
            {
                return;
            }

            _delayed[key] = _time.CreateTimer(_ => FireDelayed(key), null, delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Schedules a retry after a failure: <c>base × 2^(failures-1)</c>, capped.</summary>
    public TimeSpan AddRateLimited(TWork key)
    {
        TimeSpan delay;
        lock (_lock)
        {
            var failures = _failures.GetValueOrDefault(key) + 1;
            _failures[key] = failures;
            var factor = Math.Pow(2, Math.Min(failures - 1, 30));
            delay = TimeSpan.FromTicks((long)Math.Min(_baseDelay.Ticks * factor, _maxDelay.Ticks));
        }

        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the failure count of a key after it succeeded.</summary>
    public void Forget(TWork key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    public int Failures(TWork key)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Waits for the next key and marks it in progress; call <see cref="Done"/> when finished with it.</summary>
    public async Task<TWork> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken);
            lock (_lock)
            {
                if (_queue.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    public void Done(TWork key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !_disposed)
            {
                _queue.Enqueue(key);
                _available.Release();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var timer in _delayed.Values)
            {
                timer.Dispose();
            }

            _delayed.Clear();
        }

        _available.Dispose();
    }

    private void FireDelayed(TWork key)
    {
        lock (_lock)
        {
            if (_delayed.Remove(key, out var timer))
            {
                timer.Dispose();
            }
        }

        Add(key);
    }
}

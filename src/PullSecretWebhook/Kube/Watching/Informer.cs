using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using PullSecretWebhook.Kube.Client;
using PullSecretWebhook.Kube.Models;

namespace PullSecretWebhook.Kube.Watching;

/// <summary>
/// Keeps an in-memory copy of one kind (list, then watch from the list's resourceVersion) and
/// tells handlers what changed, like client-go's shared informer. <see cref="RunAsync"/> owns every
/// loop it starts: they live and die with the caller's token.
/// </summary>
internal sealed class Informer<T>
    where T : KubeObject
{
    private readonly KubeClient _client;
    private readonly KubeResource<T> _resource;
    private readonly InformerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly InformerCache<T> _cache = new();
    private readonly List<Func<InformerEvent<T>, CancellationToken, Task>> _handlers = [];
    private readonly Channel<Notification> _notifications = Channel.CreateUnbounded<Notification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;
    private string? _resourceVersion;

    public Informer(KubeClient client, KubeResource<T> resource, InformerOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        _client = client;
        _resource = resource;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>True once the first list is cached and its notifications were delivered.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion a reconnecting watch resumes from (last event or bookmark).</summary>
    public string? ResourceVersion => Volatile.Read(ref _resourceVersion);

    public int Count => _cache.Count;

    /// <summary>Handlers run one at a time, in event order; one that throws is logged and the next event still comes.</summary>
    public void AddHandler(Func<InformerEvent<T>, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Volatile.Read(ref _started) != 0)
        {
            throw new InvalidOperationException("add handlers before RunAsync");
        }

        _handlers.Add(handler);
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public bool TryGet(string? ns, string name, [MaybeNullWhen(false)] out T obj) =>
        _cache.TryGet(InformerCache<T>.KeyOf(ns, name), out obj);

    public IReadOnlyList<T> List() => _cache.Snapshot();

    public IReadOnlyList<T> ByNamespace(string ns) =>
        _cache.Snapshot(o => string.Equals(o.Metadata.Namespace, ns, StringComparison.Ordinal));

    /// <summary>Lists, watches, notifies and resyncs until <paramref name="cancellationToken"/> is cancelled; then returns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("an informer runs once");
        }

        // If a loop fails for a reason it cannot handle, stop the others too instead of limping on.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await Task.WhenAll(
                StopAllOnFailure(WatchLoopAsync, stop),
                StopAllOnFailure(DispatchLoopAsync, stop),
                StopAllOnFailure(ResyncLoopAsync, stop));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The owner stopped us: a normal end.
        }
    }

    private static async Task StopAllOnFailure(Func<CancellationToken, Task> loop, CancellationTokenSource stop)
    {
        try
        {
            await loop(stop.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await stop.CancelAsync();
            throw;
        }
    }

    private async Task WatchLoopAsync(CancellationToken cancellationToken)
    {
        var backoff = new ExponentialBackoff(_options.InitialBackoff, _options.MaxBackoff);
        var needList = true;
        while (true)
        {
            try
            {
                if (needList)
                {
                    await ListAsync(cancellationToken);
                    needList = false;
                }

                await WatchAsync(backoff, cancellationToken);

                // The server ended the stream (its timeout, a restart): resume from where we were.
                backoff.Reset();
                InformerLog.WatchClosed(_logger, _resource.Kind, ResourceVersion);
            }
            catch (WatchExpiredException)
            {
                InformerLog.Relisting(_logger, _resource.Kind, ResourceVersion);
                needList = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                var delay = backoff.Next();
                InformerLog.WatchFailed(_logger, ex, _resource.Kind, delay);
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var list = await _client.ListAllAsync(
            _resource,
            _options.Namespace,
            new ListOptions { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector },
            _options.PageSize,
            cancellationToken);
        foreach (var change in _cache.Replace(list.Items))
        {
            Enqueue(change);
        }

        Volatile.Write(ref _resourceVersion, list.Metadata.ResourceVersion);
        if (!HasSynced)
        {
            _notifications.Writer.TryWrite(Notification.Synced);
        }

        InformerLog.Listed(_logger, _resource.Kind, list.Items.Count, list.Metadata.ResourceVersion);
    }

    private async Task WatchAsync(ExponentialBackoff backoff, CancellationToken cancellationToken)
    {
        var timeout = _options.WatchTimeout * (1 + Random.Shared.NextDouble());
        var options = new WatchOptions
        {
            ResourceVersion = ResourceVersion,
            AllowWatchBookmarks = true,
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            TimeoutSeconds = Math.Max(1, (int)timeout.TotalSeconds),
        };
        await foreach (var watchEvent in _client.WatchAsync(_resource, _options.Namespace, options, cancellationToken))
        {
            // The watch is delivering: the connection is good again.
            backoff.Reset();
            Apply(watchEvent);
            if (watchEvent.Object.Metadata.ResourceVersion is { Length: > 0 } version)
            {
                Volatile.Write(ref _resourceVersion, version);
            }
        }
    }

    private void Apply(WatchEvent<T> watchEvent)
    {
        switch (watchEvent.Type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                var old = _cache.Upsert(watchEvent.Object);
                Enqueue(old is null
                    ? new InformerEvent<T>(InformerEventType.Added, watchEvent.Object)
                    : new InformerEvent<T>(InformerEventType.Updated, watchEvent.Object, old));
                break;
            case WatchEventType.Deleted:
                var removed = _cache.Remove(watchEvent.Object);
                Enqueue(new InformerEvent<T>(InformerEventType.Deleted, watchEvent.Object, removed));
                break;
            case WatchEventType.Bookmark:
                break;
        }
    }

    private void Enqueue(InformerEvent<T> change) => _notifications.Writer.TryWrite(new Notification(change));

    private async Task DispatchLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var notification in _notifications.Reader.ReadAllAsync(cancellationToken))
        {
            if (notification.Event is null)
            {
                _synced.TrySetResult();
                InformerLog.Synced(_logger, _resource.Kind, _cache.Count);
                continue;
            }

            foreach (var handler in _handlers)
            {
                try
                {
                    await handler(notification.Event, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    InformerLog.HandlerFailed(_logger, ex, _resource.Kind, notification.Event.Type, InformerCache<T>.KeyOf(notification.Event.Object));
                }
            }
        }
    }

    /// <summary>Re-notifies every cached object from memory, so a missed or failed reconcile is retried without an API call.</summary>
    private async Task ResyncLoopAsync(CancellationToken cancellationToken)
    {
        if (_options.ResyncPeriod <= TimeSpan.Zero)
        {
            return;
        }

        await WaitForSyncAsync(cancellationToken);
        using var timer = new PeriodicTimer(_options.ResyncPeriod, _timeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var items = _cache.Snapshot();
            foreach (var item in items)
            {
                Enqueue(new InformerEvent<T>(InformerEventType.Updated, item, item, IsResync: true));
            }

            InformerLog.Resynced(_logger, _resource.Kind, items.Count);
        }
    }

    /// <summary>A change to deliver, or (Event null) the marker that the initial list has been delivered.</summary>
    private readonly record struct Notification(InformerEvent<T>? Event)
    {
        public static Notification Synced => default;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Kube.Watching;

/// <summary>
/// Keeps an in-memory copy of one kind (list, then watch from the list's resourceVersion) and
/// tells handlers what changed, like client-go's shared informer. <see cref="RunAsync"/> owns every
/// loop it starts: they live and die with the caller's token.
/// </summary>
/// <remarks>KubernetesClient has no informer (its informer pull requests were closed unmerged), so this one is the
/// project's, on the package's list operations and watch stream. It adds what client-go's reflector does and the
/// package's watch does not: anything reported through the watch's <c>onError</c> (an ERROR event such as 410 Gone,
/// a line that is not an event) ends the watch and relists, never a silent gap; a watch open well past its
/// <c>timeoutSeconds</c> is cut (HTTP/1.1 watches have no keep-alive ping to notice a dead connection); and a watch
/// that ends within a second with no event counts as a failure and backs off, so a server that closes streams at once
/// does not spend the rate limit the writes need. (The package throws for a stream that ends before its first line;
/// that is read here as a watch that ended without an event, quiet or too short by how long it lasted.)</remarks>
internal sealed class Informer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>A watch that ends sooner than this without an event is treated as a failure (client-go: 1 s).</summary>
    internal static readonly TimeSpan ShortWatch = TimeSpan.FromSeconds(1);

    /// <summary>How long past its own timeout a watch may stay open before it is taken for dead and cut.</summary>
    internal static readonly TimeSpan OverdueGrace = TimeSpan.FromSeconds(30);

    private readonly IKubernetes _api;
    private readonly KubeKind<T> _kind;
    private readonly InformerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly InformerCache<T> _cache = new();
    private readonly List<Func<InformerEvent<T>, CancellationToken, Task>> _handlers = [];
    private readonly Channel<Notification> _notifications = Channel.CreateUnbounded<Notification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;
    private string? _resourceVersion;

    public Informer(IKubernetes api, KubeKind<T> kind, InformerOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        _api = api;
        _kind = kind;
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
        _cache.Snapshot(o => string.Equals(o.Metadata.NamespaceProperty, ns, StringComparison.Ordinal));

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

                var end = await WatchAsync(backoff, cancellationToken);
                switch (end.Kind)
                {
                    case WatchEndKind.Closed:
                        // The server ended the stream (its timeout, a restart): resume from where we were.
                        backoff.Reset();
                        InformerLog.WatchClosed(_logger, _kind.Name, ResourceVersion);
                        break;
                    case WatchEndKind.Overdue:
                        InformerLog.WatchOverdue(_logger, _kind.Name, ResourceVersion);
                        break;
                    case WatchEndKind.TooShort:
                        var pause = backoff.Next();
                        InformerLog.WatchTooShort(_logger, _kind.Name, pause);
                        await Task.Delay(pause, _timeProvider, cancellationToken);
                        break;
                    case WatchEndKind.Broken:
                        InformerLog.Relisting(_logger, _kind.Name, ResourceVersion, end.Reason!);
                        needList = true;
                        break;
                }
            }
            catch (KubeApiException ex) when (ex.IsGone)
            {
                // The resourceVersion was already too old when the watch was asked for.
                InformerLog.Relisting(_logger, _kind.Name, ResourceVersion, $"{(int)ex.StatusCode} {ex.StatusCode}");
                needList = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                var delay = backoff.Next();
                InformerLog.WatchFailed(_logger, ex, _kind.Name, delay);
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var list = await KubePager.ListAllAsync(
            _api,
            _kind,
            _options.Namespace,
            new ListRequest { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector },
            _options.PageSize,
            cancellationToken);
        foreach (var change in _cache.Replace(list.Items))
        {
            Enqueue(change);
        }

        var version = list.Metadata?.ResourceVersion;
        Volatile.Write(ref _resourceVersion, version);
        if (!HasSynced)
        {
            _notifications.Writer.TryWrite(Notification.Synced);
        }

        InformerLog.Listed(_logger, _kind.Name, list.Items.Count, version);
    }

    /// <summary>One watch from <see cref="ResourceVersion"/>, until the server ends it or something breaks it.</summary>
    private async Task<WatchEnd> WatchAsync(ExponentialBackoff backoff, CancellationToken cancellationToken)
    {
        var timeout = _options.WatchTimeout * (1 + Random.Shared.NextDouble());
        var timeoutSeconds = Math.Max(1, (int)timeout.TotalSeconds);
        var request = new ListRequest
        {
            ResourceVersion = ResourceVersion,
            AllowWatchBookmarks = true,
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            TimeoutSeconds = timeoutSeconds,
        };

        using var overdue = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds) + OverdueGrace, _timeProvider);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, overdue.Token);
        Exception? broken = null;
        void OnError(Exception error)
        {
            // The package reports an ERROR event or an unparsable line here and reads on; stop reading and relist.
            broken ??= error;
            watch.Cancel();
        }

        var started = _timeProvider.GetTimestamp();
        var events = 0;
        try
        {
            await foreach (var (type, obj) in _kind.WatchAsync(_api, _options.Namespace, request, OnError, watch.Token))
            {
                events++;

                // The watch is delivering: the connection is good again.
                backoff.Reset();
                Apply(type, obj);
                if (obj.Metadata?.ResourceVersion is { Length: > 0 } version)
                {
                    Volatile.Write(ref _resourceVersion, version);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && (broken is not null || overdue.IsCancellationRequested))
        {
            // Cut short by OnError or the overdue watchdog: decided below.
        }
        catch (HttpRequestException ex) when (events == 0 && ex.InnerException is EndOfStreamException)
        {
            // KubernetesClient reads a watch's first line before it yields anything, and throws when the stream ends
            // first: a quiet watch that reached its timeout, or one closed at once. Not an error in itself: decided below.
        }

        if (broken is not null)
        {
            return new WatchEnd(WatchEndKind.Broken, Describe(broken));
        }

        if (overdue.IsCancellationRequested)
        {
            return new WatchEnd(WatchEndKind.Overdue);
        }

        return new WatchEnd(events == 0 && _timeProvider.GetElapsedTime(started) < ShortWatch ? WatchEndKind.TooShort : WatchEndKind.Closed);
    }

    /// <summary>Why the watch broke, for the log: the Status of an ERROR event, or that a line was not an event. Never
    /// the exception's text, which for an unparsable line may quote it.</summary>
    private static string Describe(Exception error) => error switch
    {
        KubernetesException { Status: { Code: { } code } status } => $"{code} {(HttpStatusCode)code}{(string.IsNullOrEmpty(status.Reason) ? string.Empty : $", {status.Reason}")}",
        KubernetesException => "an ERROR event",
        _ => $"a line that is not a watch event ({error.GetType().Name})",
    };

    private void Apply(WatchEventType type, T obj)
    {
        switch (type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                var old = _cache.Upsert(obj);
                Enqueue(old is null
                    ? new InformerEvent<T>(InformerEventType.Added, obj)
                    : new InformerEvent<T>(InformerEventType.Updated, obj, old));
                break;
            case WatchEventType.Deleted:
                var removed = _cache.Remove(obj);
                Enqueue(new InformerEvent<T>(InformerEventType.Deleted, obj, removed));
                break;
            case WatchEventType.Bookmark:
            case WatchEventType.Error:
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
                InformerLog.Synced(_logger, _kind.Name, _cache.Count);
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
                    InformerLog.HandlerFailed(_logger, ex, _kind.Name, notification.Event.Type, InformerCache<T>.KeyOf(notification.Event.Object));
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

            InformerLog.Resynced(_logger, _kind.Name, items.Count);
        }
    }

    /// <summary>How one watch ended: closed by the server (resume), cut as overdue (resume), too short (back off, then
    /// resume), or broken by an error the watch reported (relist; <see cref="WatchEnd.Reason"/> says which).</summary>
    private enum WatchEndKind
    {
        Closed,
        Overdue,
        TooShort,
        Broken,
    }

    private readonly record struct WatchEnd(WatchEndKind Kind, string? Reason = null);

    /// <summary>A change to deliver, or (Event null) the marker that the initial list has been delivered.</summary>
    private readonly record struct Notification(InformerEvent<T>? Event)
    {
        public static Notification Synced => default;
    }
}

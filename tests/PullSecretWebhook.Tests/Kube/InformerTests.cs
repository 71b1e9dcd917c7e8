using System.Collections.Concurrent;
using System.Globalization;
using FakeKubeApiServer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Tests.Kube;

public sealed class InformerTests : IAsyncLifetime, IDisposable
{
    private readonly ConcurrentQueue<InformerEvent<V1Secret>> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly FakeLogger<InformerTests> _log = new();
    private KubeTestCluster _cluster = null!;
    private Kubernetes _client = null!;
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _cluster = await KubeTestCluster.StartAsync(new FakeApiServerOptions { HistorySize = 50, BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        _client = _cluster.CreateClient();
        await _client.CreateNamespaceAsync("team-a");
        await _client.CreateNamespaceAsync("team-b");
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "a1"));
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "a2"));
        await _client.CreateSecretAsync(TestObjects.Secret("team-b", "b1", new Dictionary<string, string> { ["export"] = "true" }));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(Eventually.DefaultTimeout);
        await _cluster.DisposeAsync();
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>What the informer has logged so far.</summary>
    private IReadOnlyList<FakeLogRecord> Logged => _log.Collector.GetSnapshot();

    private Informer<V1Secret> Start(InformerOptions? options = null, TimeProvider? time = null, Func<InformerEvent<V1Secret>, Task>? handler = null)
    {
        var informer = new Informer<V1Secret>(
            _client,
            KubeKinds.Secrets,
            (options ?? new InformerOptions()) with { PageSize = 2, InitialBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(50) },
            time ?? TimeProvider.System,
            _log);
        informer.AddHandler(async (e, _) =>
        {
            _events.Enqueue(e);
            if (handler is not null)
            {
                await handler(e);
            }
        });
        _running = informer.RunAsync(_stop.Token);
        return informer;
    }

    private bool Saw(InformerEventType type, string name) => _events.Any(e => e.Type == type && e.Object.Metadata.Name == name);

    [Fact]
    public async Task Run_InitialPagedList_SyncsCacheAndNotifiesAdds()
    {
        var informer = Start();

        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);

        Assert.True(informer.HasSynced);
        Assert.Equal(["a1", "a2", "b1"], _events.Where(e => e.Type == InformerEventType.Added).Select(e => e.Object.Metadata.Name!).Order());
        Assert.True(informer.TryGet("team-b", "b1", out var b1));
        Assert.Equal("team-b", b1.Metadata.NamespaceProperty);
        Assert.Equal(["a1", "a2"], informer.ByNamespace("team-a").Select(s => s.Metadata.Name!).Order());
        Assert.Equal(3, informer.List().Count);
        Assert.Equal(2, _cluster.Server.Requests.Count("list", "secrets"));
    }

    [Fact]
    public async Task Run_WatchedChanges_UpdateCacheAndNotifyInOrder()
    {
        var informer = Start();
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);

        var created = await _client.CreateSecretAsync(TestObjects.Secret("team-a", "new"));
        created.Metadata.Labels = new Dictionary<string, string> { ["v"] = "2" };
        await _client.CoreV1.ReplaceNamespacedSecretAsync(created, "new", "team-a");
        await _client.CoreV1.DeleteNamespacedSecretAsync("a1", "team-a");

        await Eventually.WaitUntilAsync(() => Saw(InformerEventType.Deleted, "a1"), "the delete is delivered");
        var changes = _events.Skip(3).ToList();
        Assert.Equal([InformerEventType.Added, InformerEventType.Updated, InformerEventType.Deleted], changes.Select(e => e.Type));
        Assert.Null(changes[1].OldObject!.Metadata.Labels);
        Assert.Equal("2", changes[1].Object.Metadata.Labels!["v"]);
        Assert.False(informer.TryGet("team-a", "a1", out _));
        Assert.True(informer.TryGet("team-a", "new", out var cached));
        Assert.Equal("2", cached.Metadata.Labels!["v"]);
        Assert.Equal(1, _cluster.Server.Requests.Count("watch", "secrets"));
    }

    [Fact]
    public async Task Run_WatchClosedByServer_ResumesFromLastVersionWithoutRelisting()
    {
        var informer = Start();
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);
        var lists = _cluster.Server.Requests.Count("list", "secrets");
        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("watch", "secrets") == 1, "the watch is open");

        _cluster.Server.CloseAllWatches();
        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("watch", "secrets") >= 2, "the watch reconnects");
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "after-close"));

        await Eventually.WaitUntilAsync(() => Saw(InformerEventType.Added, "after-close"), "the new secret is seen");
        Assert.Equal(lists, _cluster.Server.Requests.Count("list", "secrets"));
        Assert.Equal(4, _events.Count(e => e.Type == InformerEventType.Added));
    }

    [Fact]
    public async Task Run_WatchExpired_RelistsAndEmitsDeletesForVanishedObjects()
    {
        var informer = Start();
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);

        // Keep the informer away while the world changes, then make its resourceVersion too old.
        _cluster.Server.Faults.FailNext(100_000, "watch", "/secrets", 503);
        _cluster.Server.CloseAllWatches();
        await _client.CoreV1.DeleteNamespacedSecretAsync("a1", "team-a");
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "while-away"));
        _cluster.Server.ForgetHistory();
        _cluster.Server.Faults.Clear();

        await Eventually.WaitUntilAsync(() => Saw(InformerEventType.Deleted, "a1") && Saw(InformerEventType.Added, "while-away"), "the relist reconciles the cache");
        Assert.False(informer.TryGet("team-a", "a1", out _));
        Assert.True(informer.TryGet("team-a", "while-away", out _));
        Assert.Contains(Logged, r => r.Message.Contains("410 Gone", StringComparison.Ordinal));
        Assert.True(_cluster.Server.Requests.Count("list", "secrets") > 2);
    }

    [Fact]
    public async Task Run_ErrorEventInTheWatch_RelistsEvenIfTheStreamStaysOpen()
    {
        var informer = Start();
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);
        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("watch", "secrets") == 1, "the watch is open");
        var lists = _cluster.Server.Requests.Count("list", "secrets");

        // KubernetesClient hands an ERROR event to onError and reads on; the fake keeps this stream open.
        _cluster.Server.SendToAllWatches("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version","reason":"Expired","code":410}}""");

        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("list", "secrets") > lists, "the informer relists");
        Assert.Contains(Logged, r => r.Message.Contains("(410 Gone, Expired); relisting", StringComparison.Ordinal));
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "after-error"));
        await Eventually.WaitUntilAsync(() => Saw(InformerEventType.Added, "after-error"), "the informer watches again");
    }

    [Fact]
    public async Task Run_MalformedWatchLine_RelistsInsteadOfSkippingIt()
    {
        var informer = Start();
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);
        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("watch", "secrets") == 1, "the watch is open");
        var lists = _cluster.Server.Requests.Count("list", "secrets");

        // The package drops a line it cannot parse (reporting it to onError): whatever it carried would be lost.
        _cluster.Server.SendToAllWatches("""{"type":"MODIFIED","object":{"metadata":{"name":"a1","namespace":"team-a","resourceVersion":"x"},"data":{"key":"not base64!"}}}""");

        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("list", "secrets") > lists, "the informer relists");
        Assert.Contains(Logged, r => r.Message.Contains("a line that is not a watch event", StringComparison.Ordinal) && r.Message.Contains("relisting", StringComparison.Ordinal));
        Assert.DoesNotContain(Logged, r => r.AllText().Contains("not base64", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Bookmark_AdvancesTheResourceVersionWithoutAnEvent()
    {
        var informer = Start();
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);
        var listed = long.Parse(informer.ResourceVersion!, CultureInfo.InvariantCulture);

        // A write to another kind moves the server's resourceVersion; only a bookmark can tell this watch.
        var other = await _client.CreateNamespaceAsync("team-c");
        var later = long.Parse(other.Metadata.ResourceVersion, CultureInfo.InvariantCulture);

        await Eventually.WaitUntilAsync(() => long.Parse(informer.ResourceVersion!, CultureInfo.InvariantCulture) >= later, "a bookmark carries the newer resourceVersion");
        Assert.True(later > listed);
        Assert.Equal(3, _events.Count);
    }

    [Fact]
    public async Task Run_CachedObjects_CarryNoManagedFields()
    {
        using var http = _cluster.Server.CreateHttpClient();
        var stored = await http.GetStringAsync(new Uri(_cluster.Server.BaseAddress, "/api/v1/namespaces/team-a/secrets/a1"));
        Assert.Contains("\"managedFields\"", stored, StringComparison.Ordinal);

        var informer = Start();
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "watched"));
        await Eventually.WaitUntilAsync(() => Saw(InformerEventType.Added, "watched"), "a watched secret arrives");

        Assert.All(informer.List(), s => Assert.Null(s.Metadata.ManagedFields));
        Assert.Equal(4, informer.List().Count);
    }

    [Fact]
    public async Task Run_WatchEndingAtOnceWithoutEvents_BacksOffBeforeReconnecting()
    {
        // Frozen time: a watch that ends is "within a second", and the backoff waits until the test moves the clock.
        var time = new FakeTimeProvider();
        _cluster.Server.EndNextWatchesAtOnce(1);
        var informer = Start(new InformerOptions { WatchTimeout = TimeSpan.FromHours(1) }, time);
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);

        // KubernetesClient throws for a watch whose stream ends before its first line; the informer reads that as a
        // watch that ended without an event, and one that lasted under a second as a failure: it waits before retrying.
        await Eventually.WaitUntilAsync(() => Logged.Any(r => r.Message.Contains("Secret watch ended within a second without an event; retrying in", StringComparison.Ordinal)), "the short watch is taken as a failure");
        Assert.DoesNotContain(Logged, r => r.Message.Contains("list/watch failed", StringComparison.Ordinal));
        Assert.Equal(1, _cluster.Server.Requests.Count("watch", "secrets"));

        time.Advance(TimeSpan.FromMilliseconds(50));

        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("watch", "secrets") == 2, "the informer reconnects after the backoff");
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "after-backoff"));
        await Eventually.WaitUntilAsync(() => Saw(InformerEventType.Added, "after-backoff"), "the new watch delivers");
    }


    [Fact]
    public async Task Run_ApiUnavailable_BacksOffAndRecovers()
    {
        _cluster.Server.Faults.FailNext(12, "list", "/secrets", 503);

        var informer = Start();

        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(3, informer.List().Count);
        Assert.Contains(Logged, r => r.Level == LogLevel.Warning && r.Message.Contains("retrying in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Resync_RenotifiesFromCacheWithoutAnyApiCall()
    {
        var time = new TimerAwareTimeProvider();

        // A watch timeout beyond the advance, so that no reconnect (an API call) happens in it.
        var informer = Start(new InformerOptions { ResyncPeriod = TimeSpan.FromMinutes(10), WatchTimeout = TimeSpan.FromHours(1) }, time);
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);
        await Eventually.WaitUntilAsync(() => time.PendingTimers().Contains(TimeSpan.FromMinutes(10)), "the resync timer is armed");
        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("watch", "secrets") == 1, "the watch is open");
        _cluster.Server.Requests.Clear();

        time.Advance(TimeSpan.FromMinutes(10));

        await Eventually.WaitUntilAsync(() => _events.Count(e => e.IsResync) == 3, "every cached secret is re-notified");
        Assert.All(_events.Where(e => e.IsResync), e => Assert.Same(e.Object, e.OldObject));
        Assert.Empty(_cluster.Server.Requests.Snapshot());
    }

    [Fact]
    public async Task Run_HandlerThrows_LogsAndKeepsDelivering()
    {
        var informer = Start(handler: e => e.Object.Metadata.Name == "a1" ? throw new InvalidOperationException("boom") : Task.CompletedTask);
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);

        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "later"));

        await Eventually.WaitUntilAsync(() => Saw(InformerEventType.Added, "later"), "events after the failure still arrive");
        Assert.Contains(Logged, r => r.Level == LogLevel.Error && r.Message.Contains("team-a/a1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_WithLabelSelector_CachesOnlyMatches()
    {
        var informer = Start(new InformerOptions { LabelSelector = "export=true" });
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);

        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "unlabelled"));
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "labelled", new Dictionary<string, string> { ["export"] = "true" }));

        await Eventually.WaitUntilAsync(() => Saw(InformerEventType.Added, "labelled"), "the labelled secret arrives");
        Assert.Equal(["b1", "labelled"], informer.List().Select(s => s.Metadata.Name!).Order());
        Assert.False(Saw(InformerEventType.Added, "unlabelled"));
    }

    [Fact]
    public async Task Run_Cancelled_ReturnsAndClosesTheWatch()
    {
        var informer = Start();
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);

        await _stop.CancelAsync();

        await _running.WaitAsync(Eventually.DefaultTimeout);
        Assert.True(_running.IsCompletedSuccessfully);
    }
}

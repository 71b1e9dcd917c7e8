using System.Collections.Concurrent;
using FakeKubeApiServer;
using PullSecretWebhook.Kube.Client;
using PullSecretWebhook.Kube.Models;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Tests.Kube.Support;

namespace PullSecretWebhook.Tests.Kube;

public sealed class InformerTests : IAsyncLifetime, IDisposable
{
    private readonly ConcurrentQueue<InformerEvent<Secret>> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ListLogger<InformerTests> _log = new();
    private KubeTestCluster _cluster = null!;
    private KubeClient _client = null!;
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _cluster = await KubeTestCluster.StartAsync(new FakeApiServerOptions { HistorySize = 50, BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        _client = _cluster.CreateClient();
        await _client.CreateNamespaceAsync("team-a");
        await _client.CreateNamespaceAsync("team-b");
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "a1"));
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "a2"));
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-b", "b1", new() { ["export"] = "true" }));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(Eventually.DefaultTimeout);
        await _cluster.DisposeAsync();
    }

    public void Dispose() => _stop.Dispose();

    private Informer<Secret> Start(InformerOptions? options = null, TimeProvider? time = null, Func<InformerEvent<Secret>, Task>? handler = null)
    {
        var informer = new Informer<Secret>(
            _client,
            KubeResources.Secrets,
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
        Assert.Equal("team-b", b1.Metadata.Namespace);
        Assert.Equal(["a1", "a2"], informer.ByNamespace("team-a").Select(s => s.Metadata.Name!).Order());
        Assert.Equal(3, informer.List().Count);
        Assert.Equal(2, _cluster.Server.Requests.Count("list", "secrets"));
    }

    [Fact]
    public async Task Run_WatchedChanges_UpdateCacheAndNotifyInOrder()
    {
        var informer = Start();
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);

        var created = await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "new"));
        created.Metadata.Labels = new() { ["v"] = "2" };
        await _client.ReplaceAsync(KubeResources.Secrets, created);
        await _client.DeleteAsync(KubeResources.Secrets, "a1", "team-a");

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
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "after-close"));

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
        await _client.DeleteAsync(KubeResources.Secrets, "a1", "team-a");
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "while-away"));
        _cluster.Server.ForgetHistory();
        _cluster.Server.Faults.Clear();

        await Eventually.WaitUntilAsync(() => Saw(InformerEventType.Deleted, "a1") && Saw(InformerEventType.Added, "while-away"), "the relist reconciles the cache");
        Assert.False(informer.TryGet("team-a", "a1", out _));
        Assert.True(informer.TryGet("team-a", "while-away", out _));
        Assert.Contains(_log.Lines, l => l.Contains("410 Gone", StringComparison.Ordinal));
        Assert.True(_cluster.Server.Requests.Count("list", "secrets") > 2);
    }

    [Fact]
    public async Task Run_ApiUnavailable_BacksOffAndRecovers()
    {
        _cluster.Server.Faults.FailNext(12, "list", "/secrets", 503);

        var informer = Start();

        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(3, informer.List().Count);
        Assert.Contains(_log.Lines, l => l.StartsWith("Warning:", StringComparison.Ordinal) && l.Contains("retrying in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Resync_RenotifiesFromCacheWithoutAnyApiCall()
    {
        var time = new ManualTimeProvider();
        var informer = Start(new InformerOptions { ResyncPeriod = TimeSpan.FromMinutes(10) }, time);
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

        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "later"));

        await Eventually.WaitUntilAsync(() => Saw(InformerEventType.Added, "later"), "events after the failure still arrive");
        Assert.Contains(_log.Lines, l => l.StartsWith("Error:", StringComparison.Ordinal) && l.Contains("team-a/a1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_WithLabelSelector_CachesOnlyMatches()
    {
        var informer = Start(new InformerOptions { LabelSelector = "export=true" });
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(Eventually.DefaultTimeout);

        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "unlabelled"));
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "labelled", new() { ["export"] = "true" }));

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

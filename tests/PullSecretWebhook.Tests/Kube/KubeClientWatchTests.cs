using FakeKubeApiServer;
using PullSecretWebhook.Kube.Client;
using PullSecretWebhook.Kube.Models;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Tests.Kube.Support;

namespace PullSecretWebhook.Tests.Kube;

public sealed class KubeClientWatchTests : IAsyncLifetime
{
    private KubeTestCluster _cluster = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeTestCluster.StartAsync(new FakeApiServerOptions { HistorySize = 50, BookmarkInterval = TimeSpan.FromMilliseconds(50) });
        _client = _cluster.CreateClient();
        await _client.CreateNamespaceAsync("team-a");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Watch_FromListResourceVersion_StreamsTypedChanges()
    {
        var list = await _client.ListAsync(KubeResources.Secrets, "team-a");
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var events = new List<WatchEvent<Secret>>();
        var watching = Task.Run(async () =>
        {
            var options = new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, AllowWatchBookmarks = false };
            await foreach (var e in _client.WatchAsync(KubeResources.Secrets, "team-a", options, timeout.Token))
            {
                events.Add(e);
                if (e.Type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        });

        var secret = await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "w"));
        secret.Metadata.Labels = new() { ["v"] = "2" };
        await _client.ReplaceAsync(KubeResources.Secrets, secret);
        await _client.DeleteAsync(KubeResources.Secrets, "w", "team-a");
        await watching;

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("w", e.Object.Metadata.Name));
        Assert.Equal("2", events[1].Object.Metadata.Labels!["v"]);
    }

    [Fact]
    public async Task Watch_WithBookmarks_DeliversBookmarkWithNewerResourceVersion()
    {
        var list = await _client.ListAsync(KubeResources.Secrets, "team-a");
        await _client.CreateAsync(KubeResources.Namespaces, new Namespace { Metadata = new ObjectMeta { Name = "bumps-the-version" } });
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);

        WatchEvent<Secret>? bookmark = null;
        await foreach (var e in _client.WatchAsync(KubeResources.Secrets, "team-a", new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion }, timeout.Token))
        {
            bookmark = e;
            break;
        }

        Assert.Equal(WatchEventType.Bookmark, bookmark!.Type);
        Assert.True(long.Parse(bookmark.Object.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) >= long.Parse(list.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Watch_ResourceVersionOutOfHistory_ThrowsWatchExpired()
    {
        var list = await _client.ListAsync(KubeResources.Secrets, "team-a");
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "after"));
        _cluster.Server.ForgetHistory();

        var error = await Assert.ThrowsAsync<WatchExpiredException>(async () =>
        {
            await foreach (var unused in _client.WatchAsync(KubeResources.Secrets, "team-a", new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion }))
            {
            }
        });

        Assert.True(error.IsGone);
        Assert.Equal(410, (int)error.StatusCode);
    }

    [Fact]
    public async Task Watch_ServerClosesStream_EnumerationEnds()
    {
        var list = await _client.ListAsync(KubeResources.Secrets, "team-a");
        var watching = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var unused in _client.WatchAsync(KubeResources.Secrets, "team-a", new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, AllowWatchBookmarks = false }))
            {
                count++;
            }

            return count;
        });
        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("watch", "secrets") == 1, "the watch is open");

        _cluster.Server.CloseAllWatches();

        Assert.Equal(0, await watching.WaitAsync(Eventually.DefaultTimeout));
    }

    [Fact]
    public async Task Watch_Cancelled_StopsPromptly()
    {
        using var cancel = new CancellationTokenSource();
        var list = await _client.ListAsync(KubeResources.Secrets, "team-a");
        var watching = Task.Run(async () =>
        {
            await foreach (var unused in _client.WatchAsync(KubeResources.Secrets, "team-a", new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, AllowWatchBookmarks = false }, cancel.Token))
            {
            }
        });
        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("watch", "secrets") == 1, "the watch is open");

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching.WaitAsync(Eventually.DefaultTimeout));
    }

    [Fact]
    public async Task Watch_WithLabelSelector_OnlySeesMatchingObjects()
    {
        var list = await _client.ListAsync(KubeResources.Secrets, "team-a");
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var watching = Task.Run(async () =>
        {
            var options = new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, AllowWatchBookmarks = false, LabelSelector = "export=true" };
            await foreach (var e in _client.WatchAsync(KubeResources.Secrets, "team-a", options, timeout.Token))
            {
                return e.Object.Metadata.Name;
            }

            return null;
        });

        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "unlabelled"));
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "labelled", new() { ["export"] = "true" }));

        Assert.Equal("labelled", await watching);
    }
}

using System.Globalization;
using FakeKubeApiServer;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Tests.Kube.Support;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>KubernetesClient's watch stream through the product's client and <see cref="KubeKinds"/>, against the fake.</summary>
public sealed class KubeClientWatchTests : IAsyncLifetime
{
    private KubeTestCluster _cluster = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeTestCluster.StartAsync(new FakeApiServerOptions { HistorySize = 50, BookmarkInterval = TimeSpan.FromMilliseconds(50) });
        _client = _cluster.CreateClient();
        await _client.CreateNamespaceAsync("team-a");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task<ListPage<V1Secret>> ListSecretsAsync() => KubeKinds.Secrets.ListAsync(_client, "team-a", new ListRequest(), CancellationToken.None);

    private static void FailOnError(Exception error) => Assert.Fail($"unexpected watch error: {error}");

    [Fact]
    public async Task Watch_FromListResourceVersion_StreamsTypedChanges()
    {
        var list = await ListSecretsAsync();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var events = new List<(WatchEventType Type, V1Secret Object)>();
        var errors = new List<Exception>();
        var watching = Task.Run(async () =>
        {
            var request = new ListRequest { ResourceVersion = list.Metadata?.ResourceVersion, AllowWatchBookmarks = false };
            await foreach (var e in KubeKinds.Secrets.WatchAsync(_client, "team-a", request, errors.Add, timeout.Token))
            {
                events.Add(e);
                if (e.Type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        });

        var secret = await _client.CreateSecretAsync(TestObjects.Secret("team-a", "w"));
        secret.Metadata.Labels = new Dictionary<string, string> { ["v"] = "2" };
        await _client.CoreV1.ReplaceNamespacedSecretAsync(secret, "w", "team-a");
        await _client.CoreV1.DeleteNamespacedSecretAsync("w", "team-a");
        await watching;

        Assert.Empty(errors);
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("w", e.Object.Metadata.Name));
        Assert.Equal("2", events[1].Object.Metadata.Labels["v"]);
    }

    [Fact]
    public async Task Watch_WithBookmarks_DeliversBookmarkWithNewerResourceVersion()
    {
        var list = await ListSecretsAsync();
        await _client.CreateNamespaceAsync("bumps-the-version");
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);

        (WatchEventType Type, V1Secret Object)? bookmark = null;
        var request = new ListRequest { ResourceVersion = list.Metadata?.ResourceVersion, AllowWatchBookmarks = true };
        await foreach (var e in KubeKinds.Secrets.WatchAsync(_client, "team-a", request, FailOnError, timeout.Token))
        {
            bookmark = e;
            break;
        }

        Assert.NotNull(bookmark);
        Assert.Equal(WatchEventType.Bookmark, bookmark.Value.Type);
        Assert.True(
            long.Parse(bookmark.Value.Object.Metadata.ResourceVersion, CultureInfo.InvariantCulture) > long.Parse(list.Metadata!.ResourceVersion, CultureInfo.InvariantCulture),
            "the bookmark carries the version the namespace's creation moved the store to");
    }

    [Fact]
    public async Task Watch_ResourceVersionOutOfHistory_ReportsGoneThroughOnErrorAndEnds()
    {
        var list = await ListSecretsAsync();
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "after"));
        _cluster.Server.ForgetHistory();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var errors = new List<Exception>();
        var events = 0;

        // The package yields no event for the ERROR line: it hands the Status to onError and the stream ends (the
        // informer relists on any onError).
        var request = new ListRequest { ResourceVersion = list.Metadata?.ResourceVersion, AllowWatchBookmarks = false };
        await foreach (var unused in KubeKinds.Secrets.WatchAsync(_client, "team-a", request, errors.Add, timeout.Token))
        {
            events++;
        }

        Assert.Equal(0, events);
        var error = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
    }

    [Fact]
    public async Task Watch_ServerClosesStreamAfterAnEvent_EnumerationEnds()
    {
        var list = await ListSecretsAsync();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            var count = 0;
            var request = new ListRequest { ResourceVersion = list.Metadata?.ResourceVersion, AllowWatchBookmarks = false };
            await foreach (var unused in KubeKinds.Secrets.WatchAsync(_client, "team-a", request, FailOnError, CancellationToken.None))
            {
                count++;
                first.TrySetResult();
            }

            return count;
        });
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "one"));
        await first.Task.WaitAsync(Eventually.DefaultTimeout);

        _cluster.Server.CloseAllWatches();

        Assert.Equal(1, await watching.WaitAsync(Eventually.DefaultTimeout));
    }

    /// <summary>What KubernetesClient does when the server ends a watch before its first line (a quiet stream reaching
    /// its timeoutSeconds without a bookmark, a server shutting down): it does not end the enumeration, it throws
    /// (its response content waits for a first line and reports the end of the stream as an error). The informer meets
    /// this as a failed watch (backoff), not as a stream that closed.</summary>
    [Fact]
    public async Task Watch_ServerClosesStreamBeforeAnyLine_ThrowsHttpRequestException()
    {
        var list = await ListSecretsAsync();
        var watching = Task.Run(async () =>
        {
            var request = new ListRequest { ResourceVersion = list.Metadata?.ResourceVersion, AllowWatchBookmarks = false };
            await foreach (var unused in KubeKinds.Secrets.WatchAsync(_client, "team-a", request, FailOnError, CancellationToken.None))
            {
                Assert.Fail("no event was expected");
            }
        });
        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("watch", "secrets") == 1, "the watch is open");

        _cluster.Server.CloseAllWatches();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => watching.WaitAsync(Eventually.DefaultTimeout));
        Assert.IsType<EndOfStreamException>(error.InnerException);
    }

    [Fact]
    public async Task Watch_Cancelled_StopsPromptly()
    {
        using var cancel = new CancellationTokenSource();
        var list = await ListSecretsAsync();
        var watching = Task.Run(async () =>
        {
            var request = new ListRequest { ResourceVersion = list.Metadata?.ResourceVersion, AllowWatchBookmarks = false };
            await foreach (var unused in KubeKinds.Secrets.WatchAsync(_client, "team-a", request, FailOnError, cancel.Token))
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
        var list = await ListSecretsAsync();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var watching = Task.Run(async () =>
        {
            var request = new ListRequest { ResourceVersion = list.Metadata?.ResourceVersion, AllowWatchBookmarks = false, LabelSelector = "export=true" };
            await foreach (var e in KubeKinds.Secrets.WatchAsync(_client, "team-a", request, FailOnError, timeout.Token))
            {
                return e.Object.Metadata.Name;
            }

            return null;
        });

        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "unlabelled"));
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "labelled", new() { ["export"] = "true" }));

        Assert.Equal("labelled", await watching);
    }
}

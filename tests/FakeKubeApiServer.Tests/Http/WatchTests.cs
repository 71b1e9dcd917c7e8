using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Http;

public sealed class WatchTests : FakeServerTest
{
    private const string Secrets = "/api/v1/namespaces/team-a/secrets";

    protected override FakeApiServerOptions Configure(FakeApiServerOptions options)
    {
        options.HistorySize = 20;
        options.BookmarkInterval = TimeSpan.FromMilliseconds(100);
        return options;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateNamespaceAsync("team-a");
    }

    [Fact]
    public async Task Watch_FromResourceVersion_SendsLaterChangesInOrder()
    {
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("a"));
        var rv = (await Client.GetJsonAsync(Secrets)).ResourceVersion;
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("b"));
        await Client.PatchJsonAsync($"{Secrets}/a", "application/merge-patch+json", """{"metadata":{"labels":{"x":"1"}}}""");
        await Client.DeleteJsonAsync($"{Secrets}/b");

        await using var watch = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&resourceVersion={rv}");
        var events = new[] { await watch.NextAsync(), await watch.NextAsync(), await watch.NextAsync() };

        Assert.Equal(HttpStatusCode.OK, watch.Status);
        Assert.Equal("application/json", watch.ContentType);
        Assert.Equal(["ADDED b", "MODIFIED a", "DELETED b"], events.Select(e => $"{e!["type"]} {e["object"]!["metadata"]!["name"]}"));
        Assert.Equal("Secret", events[0]!["object"]!["kind"]!.GetValue<string>());
        var rvs = events.Select(e => long.Parse(e!["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>())).ToList();
        Assert.Equal(rvs.Order(), rvs);
        Assert.Equal(Server.Store.ResourceVersion, rvs[^1].ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("watch=true&resourceVersion=0")]
    [InlineData("watch=1")]
    public async Task Watch_WithoutResourceVersion_StartsWithSyntheticAddedThenLive(string query)
    {
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("existing"));

        await using var watch = await WatchStream.OpenAsync(Client, $"{Secrets}?{query}");
        var initial = await watch.NextAsync();
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("live"));
        var live = await watch.NextAsync();

        Assert.Equal("ADDED", initial!["type"]!.GetValue<string>());
        Assert.Equal("existing", initial["object"]!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("live", live!["object"]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_WithBookmarks_SendsBookmarksCarryingOnlyTheResourceVersion()
    {
        var rv = (await Client.GetJsonAsync(Secrets)).ResourceVersion;
        await using var watch = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&allowWatchBookmarks=true&resourceVersion={rv}");

        var bookmark = await watch.NextMatchingAsync(e => e["type"]!.GetValue<string>() == "BOOKMARK");

        var obj = bookmark["object"]!.AsObject();
        Assert.Equal(["kind", "apiVersion", "metadata"], obj.Select(p => p.Key));
        // Go writes the empty ObjectMeta's creationTimestamp as null; nothing else.
        Assert.Equal(["resourceVersion", "creationTimestamp"], obj["metadata"]!.AsObject().Select(p => p.Key));
        Assert.Null(obj["metadata"]!["creationTimestamp"]);
        Assert.Equal(Server.Store.ResourceVersion, obj["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_WithoutBookmarkOptIn_SendsNoBookmark()
    {
        await using var watch = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&timeoutSeconds=1&resourceVersion={Server.Store.ResourceVersion}");

        var events = await watch.ReadToEndAsync();

        Assert.Empty(events);
    }

    [Fact]
    public async Task Watch_FromExpiredResourceVersion_Returns410ErrorEvent()
    {
        var rv = (await Client.PostJsonAsync(Secrets, KubeHttp.Secret("a"))).ResourceVersion;
        for (var i = 0; i < 25; i++)
        {
            await Client.PatchJsonAsync($"{Secrets}/a", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"n\":\"" + i + "\"}}}");
        }

        await using var watch = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&resourceVersion={rv}");
        var events = await watch.ReadToEndAsync();

        Assert.Equal(HttpStatusCode.OK, watch.Status);
        var error = Assert.Single(events);
        Assert.Equal("ERROR", error["type"]!.GetValue<string>());
        Assert.Equal("Status", error["object"]!["kind"]!.GetValue<string>());
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
        Assert.StartsWith("too old resource version", error["object"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgetHistory_ThenResumeFromOlderResourceVersion_Returns410ErrorEvent()
    {
        var rv = (await Client.PostJsonAsync(Secrets, KubeHttp.Secret("a"))).ResourceVersion;
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("b"));
        Server.ForgetHistory();

        await using var expired = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&resourceVersion={rv}");
        await using var current = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&resourceVersion={Server.Store.ResourceVersion}");
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("c"));

        Assert.Equal("ERROR", (await expired.NextAsync())!["type"]!.GetValue<string>());
        Assert.Equal("c", (await current.NextAsync())!["object"]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_WithTimeoutSeconds_EndsTheStream()
    {
        await using var watch = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&timeoutSeconds=1&resourceVersion={Server.Store.ResourceVersion}");

        var end = await watch.NextAsync(TimeSpan.FromSeconds(10));

        Assert.Null(end);
    }

    [Fact]
    public async Task Watch_WithLabelSelector_ObjectStartingOrStoppingToMatch_IsAddedOrDeleted()
    {
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("s", labels: new() { ["env"] = "stage" }));
        await using var watch = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&labelSelector=env%3Dprod&resourceVersion={Server.Store.ResourceVersion}");

        await Client.PatchJsonAsync($"{Secrets}/s", "application/merge-patch+json", """{"metadata":{"labels":{"env":"prod"}}}""");
        var added = await watch.NextAsync();
        await Client.PatchJsonAsync($"{Secrets}/s", "application/merge-patch+json", """{"metadata":{"labels":{"tier":"web"}}}""");
        var modified = await watch.NextAsync();
        var patched = await Client.PatchJsonAsync($"{Secrets}/s", "application/merge-patch+json", """{"metadata":{"labels":{"env":"dev"}}}""");
        var deleted = await watch.NextAsync();

        Assert.Equal("ADDED", added!["type"]!.GetValue<string>());
        Assert.Equal("MODIFIED", modified!["type"]!.GetValue<string>());
        Assert.Equal("DELETED", deleted!["type"]!.GetValue<string>());
        Assert.Equal("prod", deleted["object"]!["metadata"]!["labels"]!["env"]!.GetValue<string>());
        Assert.Equal(patched.ResourceVersion, deleted["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_SingleObjectByName_SeesOnlyThatObject()
    {
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("target"));
        await using var watch = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&fieldSelector=metadata.name%3Dtarget&resourceVersion={Server.Store.ResourceVersion}");

        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("other"));
        await Client.DeleteJsonAsync($"{Secrets}/target");

        var change = await watch.NextAsync();
        Assert.Equal("DELETED", change!["type"]!.GetValue<string>());
        Assert.Equal("target", change["object"]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsInitialStateWithAnnotatedBookmark()
    {
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("a"));

        await using var watch = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan");
        var added = await watch.NextAsync();
        var bookmark = await watch.NextAsync();

        Assert.Equal("ADDED", added!["type"]!.GetValue<string>());
        Assert.Equal("BOOKMARK", bookmark!["type"]!.GetValue<string>());
        Assert.Equal("true", bookmark["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
    }

    [Fact]
    public async Task CloseAllWatches_EndsOpenStreamsCleanly()
    {
        await using var first = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&resourceVersion={Server.Store.ResourceVersion}");
        await using var second = await WatchStream.OpenAsync(Client, "/api/v1/namespaces?watch=true");
        Assert.Equal("ADDED", (await second.NextAsync())!["type"]!.GetValue<string>());

        Server.CloseAllWatches();

        Assert.Null(await first.NextAsync());
        await second.ReadToEndAsync();
    }

    [Fact]
    public async Task Store_DirectWrite_ReachesHttpWatchers()
    {
        await using var watch = await WatchStream.OpenAsync(Client, $"{Secrets}?watch=true&resourceVersion={Server.Store.ResourceVersion}");

        Server.Store.Create("v1", "secrets", "team-a", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "direct" } });

        var change = await watch.NextAsync();
        Assert.Equal("direct", change!["object"]!["metadata"]!["name"]!.GetValue<string>());
    }
}

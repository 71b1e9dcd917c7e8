using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Faults;

public sealed class AdminEndpointTests : FakeServerTest
{
    [Fact]
    public async Task AdminFaults_FailNextWithRetryAfter_AndClear()
    {
        var added = await Client.PostJsonAsync("/_fake/faults", JsonNode.Parse("""{"count":5,"verb":"list","pathContains":"/secrets","status":429,"retryAfter":"00:00:03"}""")!);
        var throttled = await Client.GetJsonAsync("/api/v1/namespaces/default/secrets");
        var cleared = await Client.DeleteJsonAsync("/_fake/faults");
        var after = await Client.GetJsonAsync("/api/v1/namespaces/default/secrets");

        Assert.Equal(HttpStatusCode.OK, added.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), throttled.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Fact]
    public async Task AdminFaults_Latency_SlowsMatchingRequests()
    {
        await Client.PostJsonAsync("/_fake/faults", JsonNode.Parse("""{"latencyMilliseconds":250,"verb":"get","pathContains":"/version"}""")!);

        var timer = Stopwatch.StartNew();
        await Client.GetJsonAsync("/version");

        Assert.True(timer.Elapsed >= TimeSpan.FromMilliseconds(240), $"took {timer.Elapsed}");
    }

    [Fact]
    public async Task AdminRequests_ListsApiCallsButNotAdminCalls()
    {
        await Client.GetJsonAsync("/api/v1/namespaces/default/secrets");
        await Client.PostJsonAsync("/_fake/forget-history", new JsonObject());

        var log = await Client.GetJsonAsync("/_fake/requests");

        var entry = Assert.Single(log.Body!.AsArray());
        Assert.Equal("list", entry!["verb"]!.GetValue<string>());
        Assert.Equal("secrets", entry["resource"]!.GetValue<string>());
        Assert.Equal(200, entry["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteJsonAsync("/_fake/requests")).Status);
        Assert.Empty(Server.Requests.Snapshot());
    }

    [Fact]
    public async Task AdminCloseWatches_EndsOpenWatches()
    {
        await using var watch = await WatchStream.OpenAsync(Client, $"/api/v1/namespaces/default/secrets?watch=true&resourceVersion={Server.Store.ResourceVersion}");

        await Client.PostJsonAsync("/_fake/close-watches", new JsonObject());

        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task AdminRestart_Answers202_ThenStatusCountsTheRestart()
    {
        var restart = await Client.PostJsonAsync("/_fake/restart", new JsonObject());

        Assert.Equal(HttpStatusCode.Accepted, restart.Status);
        await Eventually.TrueAsync(async () =>
        {
            using var client = Server.CreateHttpClient();
            try
            {
                var status = await client.GetJsonAsync("/_fake/status");
                return status.Object["restarts"]!.GetValue<int>() == 1;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the restart to complete");
    }

    [Fact]
    public async Task Admin_WithoutTheAdminToken_Returns401()
    {
        Server.Store.Create("v1", "namespaces", null, KubeHttp.Namespace("x"));
        using var other = Server.CreateHttpClient(token: "not-admin");

        var response = await other.GetJsonAsync("/_fake/requests");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }
}

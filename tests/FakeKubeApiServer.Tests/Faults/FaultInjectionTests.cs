using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Faults;

public sealed class FaultInjectionTests : FakeServerTest
{
    [Fact]
    public async Task FailNext_429_AnswersTooManyRequestsWithRetryAfter_ThenRecovers()
    {
        Server.Faults.FailNext(1, "list", "/secrets", 429, TimeSpan.FromSeconds(2));

        var throttled = await Client.GetJsonAsync("/api/v1/namespaces/default/secrets");
        var next = await Client.GetJsonAsync("/api/v1/namespaces/default/secrets");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Status);
        Assert.Equal("TooManyRequests", throttled.Reason);
        Assert.Equal(TimeSpan.FromSeconds(2), throttled.Headers.RetryAfter!.Delta);
        Assert.Equal(2, throttled.Object["details"]!["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, next.Status);
    }

    [Fact]
    public async Task FailNext_MatchesVerbAndPath_AndCountsDown()
    {
        Server.Faults.FailNext(2, "get", "/secrets/s", 500);
        await CreateSecretAsync();

        var list = await Client.GetJsonAsync("/api/v1/namespaces/default/secrets");
        var first = await Client.GetJsonAsync("/api/v1/namespaces/default/secrets/s");
        var second = await Client.GetJsonAsync("/api/v1/namespaces/default/secrets/s");
        var third = await Client.GetJsonAsync("/api/v1/namespaces/default/secrets/s");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal(HttpStatusCode.InternalServerError, first.Status);
        Assert.Equal("InternalError", first.Reason);
        Assert.Equal(HttpStatusCode.InternalServerError, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
    }

    [Theory]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(409, "Conflict")]
    [InlineData(504, "Timeout")]
    public async Task FailNext_AnyVerb_AnswersAStatusBody(int code, string reason)
    {
        Server.Faults.FailNext(1, null, "/api/v1/namespaces", code);

        var response = await Client.PostJsonAsync("/api/v1/namespaces", KubeHttp.Namespace("x"));

        Assert.Equal(code, (int)response.Status);
        Assert.Equal(reason, response.Reason);
        Assert.Equal("Status", response.Object["kind"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync("/api/v1/namespaces/x")).Status);
    }

    [Fact]
    public async Task FailNext_OnWatch_FailsTheWatchRequest()
    {
        Server.Faults.FailNext(1, "watch", "/secrets", 503);

        var response = await Client.GetJsonAsync("/api/v1/namespaces/default/secrets?watch=true");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Status);
    }

    [Fact]
    public async Task AddLatency_DelaysMatchingRequests_UntilCleared()
    {
        Server.Faults.AddLatency(TimeSpan.FromMilliseconds(300), "list", "/secrets");

        var slow = Stopwatch.StartNew();
        await Client.GetJsonAsync("/api/v1/namespaces/default/secrets");
        slow.Stop();
        Server.Faults.Clear();
        Server.Faults.FailNext(1, null, "/nothing-matches-this", 500);
        Server.Faults.Clear();
        var after = await Client.GetJsonAsync("/api/v1/namespaces/default/secrets");

        Assert.True(slow.Elapsed >= TimeSpan.FromMilliseconds(290), $"took {slow.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Fact]
    public async Task HoldNext_AWriteHeldWhileTheObjectChanges_IsServedAgainstTheNewVersion()
    {
        await CreateSecretAsync();
        var read = (await Client.GetJsonAsync("/api/v1/namespaces/default/secrets/s")).Object;
        var stale = (string)read["metadata"]!["resourceVersion"]!;
        var hold = Server.Faults.HoldNext("patch", "/secrets/s");

        var patch = Client.PatchJsonAsync("/api/v1/namespaces/default/secrets/s", "application/merge-patch+json",
            new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = stale, ["labels"] = new JsonObject { ["by"] = "held" } } }.ToJsonString());
        await hold.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(patch.IsCompleted);
        var meanwhile = await Client.PatchJsonAsync("/api/v1/namespaces/default/secrets/s", "application/merge-patch+json", """{"metadata":{"labels":{"by":"owner"}}}""");
        hold.Release();
        var held = await patch;

        Assert.Equal(HttpStatusCode.OK, meanwhile.Status); // a second matching request is not held: each hold holds one
        Assert.Equal(HttpStatusCode.Conflict, held.Status);
        Assert.Equal("owner", (string?)(await Client.GetJsonAsync("/api/v1/namespaces/default/secrets/s")).Object["metadata"]!["labels"]!["by"]);
    }

    [Fact]
    public async Task HoldNext_WhenCleared_LetsTheRequestThrough()
    {
        await CreateSecretAsync();
        var hold = Server.Faults.HoldNext("get", "/secrets/s");

        var get = Client.GetJsonAsync("/api/v1/namespaces/default/secrets/s");
        await hold.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        Server.Faults.Clear();

        Assert.Equal(HttpStatusCode.OK, (await get).Status);
    }

    private async Task CreateSecretAsync() =>
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/api/v1/namespaces/default/secrets", KubeHttp.Secret("s"))).Status);
}

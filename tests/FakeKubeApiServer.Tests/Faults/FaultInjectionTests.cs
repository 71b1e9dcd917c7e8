using System.Diagnostics;
using System.Net;
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

    private async Task CreateSecretAsync() =>
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/api/v1/namespaces/default/secrets", KubeHttp.Secret("s"))).Status);
}

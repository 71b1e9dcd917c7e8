using System.Net;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Faults;

public sealed class RequestLogTests : FakeServerTest
{
    [Fact]
    public async Task RequestLog_RecordsVerbResourceNamespaceNameUserAndStatus()
    {
        await Client.PostJsonAsync("/api/v1/namespaces/default/secrets", KubeHttp.Secret("s"));
        await Client.GetJsonAsync("/api/v1/namespaces/default/secrets/s");
        await Client.GetJsonAsync("/api/v1/namespaces/default/secrets/missing");
        await Client.GetJsonAsync("/api/v1/namespaces/default/secrets");
        await Client.PatchJsonAsync("/api/v1/namespaces/default/secrets/s", "application/merge-patch+json", "{}");
        await Client.DeleteJsonAsync("/api/v1/namespaces/default/secrets/s");

        Assert.Equal(1, Server.Requests.Count("create", "secrets", "default"));
        Assert.Equal(2, Server.Requests.Count("get", "secrets"));
        Assert.Equal(1, Server.Requests.Count("list", "secrets"));
        Assert.Equal(3, Server.Requests.Count(resource: "secrets", name: "s"));
        Assert.Equal(["create", "patch", "delete"], Server.Requests.Writes.Select(w => w.Verb));
        var missing = Server.Requests.Snapshot().Single(e => e.Name == "missing");
        Assert.Equal(404, missing.Status);
        Assert.Equal("fake-admin", missing.User);
    }

    [Fact]
    public async Task RequestLog_CountsWatchesWhileOpen()
    {
        await using var watch = await WatchStream.OpenAsync(Client, "/api/v1/namespaces/default/secrets?watch=true");

        await Eventually.TrueAsync(() => Server.Requests.Count("watch", "secrets", "default") == 1, "the watch in the log");
    }

    [Fact]
    public async Task RequestLog_RecordsRejectedRequests_AndClears()
    {
        using var anonymous = Server.CreateHttpClient(token: "");
        await anonymous.GetJsonAsync("/api/v1/namespaces");

        var entry = Assert.Single(Server.Requests.Snapshot());
        Assert.Equal(401, entry.Status);
        Assert.Equal("", entry.User);

        Server.Requests.Clear();
        Assert.Empty(Server.Requests.Snapshot());
    }

    [Fact]
    public async Task RequestLog_RecordsUserAgent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces");
        request.Headers.UserAgent.ParseAdd("reconciler/1.0");
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("reconciler/1.0", Server.Requests.Snapshot()[^1].UserAgent);
    }
}

using System.Net;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Hosting;

public sealed class RestartTests : FakeServerTest
{
    [Fact]
    public async Task RestartAsync_KeepsPortObjectsAndResourceVersion_AndEndsWatches()
    {
        await Client.PostJsonAsync("/api/v1/namespaces/default/secrets", KubeHttp.Secret("kept"));
        var port = Server.BaseAddress.Port;
        var rv = Server.Store.ResourceVersion;
        await using var watch = await WatchStream.OpenAsync(Client, $"/api/v1/namespaces/default/secrets?watch=true&resourceVersion={rv}");

        await Server.RestartAsync();

        Assert.Null(await watch.NextAsync());
        Assert.Equal(port, Server.BaseAddress.Port);
        Assert.Equal(rv, Server.Store.ResourceVersion);
        using var client = Server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetJsonAsync("/api/v1/namespaces/default/secrets/kept")).Status);
        var created = await client.PostJsonAsync("/api/v1/namespaces/default/secrets", KubeHttp.Secret("after"));
        Assert.True(long.Parse(created.ResourceVersion!) > long.Parse(rv));
    }

    [Fact]
    public async Task RestartAsync_WatchResumedFromLastResourceVersion_MissesNothing()
    {
        var rv = Server.Store.ResourceVersion;
        await Server.RestartAsync();
        Server.Store.Create("v1", "secrets", "default", KubeHttp.Secret("during"));
        using var client = Server.CreateHttpClient();

        await using var resumed = await WatchStream.OpenAsync(client, $"/api/v1/namespaces/default/secrets?watch=true&resourceVersion={rv}");

        Assert.Equal("during", (await resumed.NextAsync())!["object"]!["metadata"]!["name"]!.GetValue<string>());
    }
}

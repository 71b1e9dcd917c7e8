using System.Net;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Http;

public sealed class PaginationTests : FakeServerTest
{
    protected override FakeApiServerOptions Configure(FakeApiServerOptions options)
    {
        options.HistorySize = 50;
        return options;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateNamespaceAsync("team-a");
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret(name));
        }
    }

    [Fact]
    public async Task List_WithLimit_PagesThroughEverythingOnce()
    {
        var first = await Client.GetJsonAsync("/api/v1/namespaces/team-a/secrets?limit=2");
        var token = first.Object["metadata"]!["continue"]!.GetValue<string>();
        var second = await Client.GetJsonAsync($"/api/v1/namespaces/team-a/secrets?limit=2&continue={Uri.EscapeDataString(token)}");
        var third = await Client.GetJsonAsync($"/api/v1/namespaces/team-a/secrets?limit=2&continue={Uri.EscapeDataString(second.Object["metadata"]!["continue"]!.GetValue<string>())}");

        Assert.Equal(["a", "b"], first.ItemNames);
        Assert.Equal(3, first.Object["metadata"]!["remainingItemCount"]!.GetValue<long>());
        Assert.Equal(["c", "d"], second.ItemNames);
        Assert.Equal(["e"], third.ItemNames);
        Assert.Null(third.Object["metadata"]!["continue"]);
        Assert.Equal(first.ResourceVersion, third.ResourceVersion);
    }

    [Fact]
    public async Task List_ContinuedAfterWrites_ServesTheOriginalSnapshot()
    {
        var first = await Client.GetJsonAsync("/api/v1/namespaces/team-a/secrets?limit=2");
        await Client.DeleteJsonAsync("/api/v1/namespaces/team-a/secrets/c");
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("cc"));

        var token = Uri.EscapeDataString(first.Object["metadata"]!["continue"]!.GetValue<string>());
        var rest = await Client.GetJsonAsync($"/api/v1/namespaces/team-a/secrets?continue={token}");

        Assert.Equal(["c", "d", "e"], rest.ItemNames);
    }

    [Fact]
    public async Task List_ContinueOlderThanHistory_Returns410Expired()
    {
        var first = await Client.GetJsonAsync("/api/v1/namespaces/team-a/secrets?limit=2");
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("later"));
        Server.ForgetHistory();

        var token = Uri.EscapeDataString(first.Object["metadata"]!["continue"]!.GetValue<string>());
        var response = await Client.GetJsonAsync($"/api/v1/namespaces/team-a/secrets?continue={token}");

        Assert.Equal(HttpStatusCode.Gone, response.Status);
        Assert.Equal("Expired", response.Reason);
    }

    [Fact]
    public async Task List_WithGarbageContinue_Returns400()
    {
        var response = await Client.GetJsonAsync("/api/v1/namespaces/team-a/secrets?continue=garbage");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }
}

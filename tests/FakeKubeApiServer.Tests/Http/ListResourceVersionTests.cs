using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Http;

/// <summary>resourceVersion and resourceVersionMatch on lists, and continue tokens past the history, as
/// kube-apiserver answers them (checked against it by the end-to-end fidelity tests).</summary>
public sealed class ListResourceVersionTests : FakeServerTest
{
    private const string ConfigMaps = "/api/v1/namespaces/team-a/configmaps";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateNamespaceAsync("team-a");
    }

    [Fact]
    public async Task List_ExactlyAtAnOldVersion_ShowsThatSnapshot()
    {
        await Client.PostJsonAsync(ConfigMaps, JsonNode.Parse("""{"metadata":{"name":"c"},"data":{"v":"1"}}""")!);
        var before = (await Client.GetJsonAsync(ConfigMaps)).ResourceVersion;
        await Client.PatchJsonAsync($"{ConfigMaps}/c", "application/merge-patch+json", """{"data":{"v":"2"}}""");

        var exact = await Client.GetJsonAsync($"{ConfigMaps}?resourceVersion={before}&resourceVersionMatch=Exact");
        var current = await Client.GetJsonAsync($"{ConfigMaps}?resourceVersion={before}&resourceVersionMatch=NotOlderThan");

        Assert.Equal(before, exact.ResourceVersion);
        Assert.Equal("1", exact.Items[0]!["data"]!["v"]!.GetValue<string>());
        Assert.Equal("2", current.Items[0]!["data"]!["v"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_ExactlyAtAForgottenVersion_IsExpired()
    {
        var before = (await Client.GetJsonAsync(ConfigMaps)).ResourceVersion;
        await Client.PostJsonAsync(ConfigMaps, JsonNode.Parse("""{"metadata":{"name":"c"}}""")!);
        Server.ForgetHistory();

        var response = await Client.GetJsonAsync($"{ConfigMaps}?resourceVersion={before}&resourceVersionMatch=Exact");

        Assert.Equal(HttpStatusCode.Gone, response.Status);
        Assert.Equal("The resourceVersion for the provided list is too old.", response.Message);
    }

    [Fact]
    public async Task List_AtAFutureVersion_IsATimeoutWithRetryAfter()
    {
        var response = await Client.GetJsonAsync($"{ConfigMaps}?resourceVersion=999999");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.Status);
        Assert.Equal("Timeout", response.Reason);
        Assert.StartsWith("Timeout: Too large resource version: 999999, current: ", response.Message, StringComparison.Ordinal);
        Assert.Equal(1, response.Object["details"]!["retryAfterSeconds"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("resourceVersionMatch=Exact", "resourceVersionMatch FieldValueForbidden")]
    [InlineData("resourceVersion=1&resourceVersionMatch=Sometimes", "resourceVersionMatch FieldValueNotSupported")]
    public async Task List_WithAnUnusableMatch_IsInvalid(string query, string cause)
    {
        var response = await Client.GetJsonAsync($"{ConfigMaps}?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("ListOptions", response.Object["details"]!["kind"]!.GetValue<string>());
        var first = response.Object["details"]!["causes"]![0]!;
        Assert.Equal(cause, $"{first["field"]} {first["reason"]}");
    }

    [Fact]
    public async Task List_AtAVersionThatIsNoNumber_IsAnInternalErrorWithoutReason()
    {
        var response = await Client.GetJsonAsync($"{ConfigMaps}?resourceVersion=abc");

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Null(response.Reason);
    }

    [Fact]
    public async Task Continue_PastTheHistory_IsExpiredWithATokenThatGoesOnFromNow()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            await Client.PostJsonAsync(ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
        }

        var first = await Client.GetJsonAsync($"{ConfigMaps}?limit=1");
        var token = first.Object["metadata"]!["continue"]!.GetValue<string>();
        await Client.DeleteJsonAsync($"{ConfigMaps}/b");
        Server.ForgetHistory();

        var expired = await Client.GetJsonAsync($"{ConfigMaps}?limit=1&continue={token}");
        var fresh = expired.Object["metadata"]!["continue"]!.GetValue<string>();
        var rest = await Client.GetJsonAsync($"{ConfigMaps}?limit=10&continue={fresh}");

        // Tokens are URL-safe base64 without padding, as etcd3's, so they need no escaping in a query.
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.Equal(HttpStatusCode.Gone, expired.Status);
        Assert.Equal("Expired", expired.Reason);
        Assert.Equal(["c"], rest.ItemNames);
    }
}

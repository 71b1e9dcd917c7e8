using System.Net;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Selectors;

public sealed class SelectorHttpTests : FakeServerTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateNamespaceAsync("team-a");
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("prod-web", labels: new() { ["env"] = "prod", ["tier"] = "web" }));
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("stage-web", labels: new() { ["env"] = "stage", ["tier"] = "web" }));
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("plain", type: "kubernetes.io/dockerconfigjson", data: new() { [".dockerconfigjson"] = "{}" }));
    }

    [Theory]
    [InlineData("env%3Dprod", "prod-web")]
    [InlineData("env%20in%20(prod%2Cstage)", "prod-web,stage-web")]
    [InlineData("env%20notin%20(prod)", "plain,stage-web")]
    [InlineData("!env", "plain")]
    [InlineData("tier%2Cenv!%3Dstage", "prod-web")]
    public async Task List_WithLabelSelector_ReturnsMatchingObjects(string selector, string expected)
    {
        var list = await Client.GetJsonAsync($"/api/v1/namespaces/team-a/secrets?labelSelector={selector}");

        Assert.Equal(expected.Split(','), list.ItemNames);
    }

    [Theory]
    [InlineData("metadata.name%3Dplain", "plain")]
    [InlineData("metadata.name!%3Dplain", "prod-web,stage-web")]
    [InlineData("type%3Dkubernetes.io%2Fdockerconfigjson", "plain")]
    [InlineData("type%3D%3DOpaque%2Cmetadata.name!%3Dprod-web", "stage-web")]
    [InlineData("metadata.namespace%3Dteam-a%2Ctype!%3DOpaque", "plain")]
    public async Task List_WithFieldSelector_ReturnsMatchingObjects(string selector, string expected)
    {
        var list = await Client.GetJsonAsync($"/api/v1/namespaces/team-a/secrets?fieldSelector={selector}");

        Assert.Equal(expected.Split(','), list.ItemNames);
    }

    [Fact]
    public async Task List_WithUnsupportedFieldSelector_Returns400()
    {
        var response = await Client.GetJsonAsync("/api/v1/namespaces/team-a/secrets?fieldSelector=spec.foo%3Dbar");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("field label not supported: spec.foo", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithBadLabelSelector_Returns400()
    {
        var response = await Client.GetJsonAsync("/api/v1/namespaces/team-a/secrets?labelSelector=env%20in%20(prod");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }
}

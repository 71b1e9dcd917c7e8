using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Hosting;

public sealed class DiscoveryTests : FakeServerTest
{
    [Fact]
    public async Task Version_ReportsKubernetes132()
    {
        var version = await Client.GetJsonAsync("/version");

        Assert.Equal("1", version.Object["major"]!.GetValue<string>());
        Assert.Equal("32", version.Object["minor"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.x.0")]
    [InlineData("v1.20.2")]
    [InlineData("1.20.2.1")]
    public async Task Start_MalformedServerVersion_ThrowsFormatException(string version)
    {
        await Assert.ThrowsAsync<FormatException>(() => FakeApiServer.StartAsync(new FakeApiServerOptions { ServerVersion = version }));
    }

    [Fact]
    public async Task CoreResourceList_HasKindsScopeVerbsAndShortNames()
    {
        var list = await Client.GetJsonAsync("/api/v1");

        var resources = list.Object["resources"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!.AsObject());
        Assert.Equal("APIResourceList", list.Object["kind"]!.GetValue<string>());
        Assert.False(resources["namespaces"]["namespaced"]!.GetValue<bool>());
        Assert.Equal("Secret", resources["secrets"]["kind"]!.GetValue<string>());
        Assert.Equal(["ns"], resources["namespaces"]["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["sa"], resources["serviceaccounts"]["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["po"], resources["pods"]["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["ev"], resources["events"]["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains("watch", resources["secrets"]["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/apis/coordination.k8s.io/v1", "leases")]
    [InlineData("/apis/events.k8s.io/v1", "events")]
    [InlineData("/apis/admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations")]
    [InlineData("/apis/rbac.authorization.k8s.io/v1", "clusterrolebindings")]
    public async Task GroupResourceLists_AreServed(string path, string resource)
    {
        var list = await Client.GetJsonAsync(path);

        Assert.Contains(resource, list.Object["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Apis_Legacy_ListsGroupsWithPreferredVersion()
    {
        var groups = await Client.GetJsonAsync("/apis");

        Assert.Equal("APIGroupList", groups.Object["kind"]!.GetValue<string>());
        Assert.Contains("coordination.k8s.io", groups.Object["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Api_AggregatedDiscovery_IsNegotiatedByAccept()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        using var response = await Client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", response.Content.Headers.ContentType!.ToString().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("APIGroupDiscoveryList", body["kind"]!.GetValue<string>());
        var secrets = body["items"]![0]!["versions"]![0]!["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == "secrets")!;
        Assert.Equal("Namespaced", secrets["scope"]!.GetValue<string>());
        Assert.Equal("Secret", secrets["responseKind"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApiV3_IndexesGroupVersions_WithFieldValidationOnPatch()
    {
        var root = await Client.GetJsonAsync("/openapi/v3");
        var url = root.Object["paths"]!["api/v1"]!["serverRelativeURL"]!.GetValue<string>();
        var document = await Client.GetJsonAsync(url);

        var patch = document.Object["paths"]!["/api/v1/namespaces/{namespace}/secrets/{name}"]!["patch"]!;
        Assert.Equal("Secret", patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
        Assert.Contains("fieldValidation", patch["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync("/openapi/v2")).Status);
    }

    [Fact]
    public async Task Table_IsReturnedWhenAskedFor()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        using var response = await Client.SendAsync(request);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal(["Name", "Status", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Contains("default", table["rows"]!.AsArray().Select(r => r!["cells"]![0]!.GetValue<string>()));
    }
}

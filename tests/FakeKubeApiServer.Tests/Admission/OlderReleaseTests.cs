using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Admission;

/// <summary>The fake posing as Kubernetes 1.20: its /version, and the matchConditions it does not know.</summary>
public sealed class OlderReleaseTests : FakeServerTest
{
    private const string Configurations = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";

    protected override FakeApiServerOptions Configure(FakeApiServerOptions options)
    {
        options.ServerVersion = "1.20.2";
        return options;
    }

    [Fact]
    public async Task Version_Configured_ReportsThatRelease()
    {
        var version = await Client.GetJsonAsync("/version");

        Assert.Equal("1", version.Object["major"]!.GetValue<string>());
        Assert.Equal("20", version.Object["minor"]!.GetValue<string>());
        Assert.Equal("v1.20.2-fake", version.Object["gitVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_WebhookWithMatchConditions_DropsThemWithoutAnError()
    {
        var response = await Client.PostJsonAsync(Configurations, WithMatchConditions("h"));

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Null(response.Object["webhooks"]![0]!["matchConditions"]);
        Assert.Null(Server.Store.Get("admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations", null, "h")!["webhooks"]![0]!["matchConditions"]);
    }

    [Fact]
    public async Task Update_WebhookWithMatchConditions_DropsThemAndChangesNothingElse()
    {
        var created = (await Client.PostJsonAsync(Configurations, WithMatchConditions("h"))).Object;
        var update = WithMatchConditions("h");
        update["metadata"]!["resourceVersion"] = created["metadata"]!["resourceVersion"]!.GetValue<string>();

        var response = await Client.PutJsonAsync($"{Configurations}/h", update);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Null(response.Object["webhooks"]![0]!["matchConditions"]);
        // Nothing else changed, so the write is the real store's no-op: same resourceVersion.
        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), response.Object["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Seed_WebhookWithMatchConditions_KeepsThem()
    {
        Server.Store.Create("admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations", null, WithMatchConditions("h"), validate: false);

        var read = await Client.GetJsonAsync($"{Configurations}/h");

        Assert.Equal("not-mirror", read.Object["webhooks"]![0]!["matchConditions"]![0]!["name"]!.GetValue<string>());
    }

    internal static JsonObject WithMatchConditions(string name) => JsonNode.Parse($$"""
        {
          "metadata": { "name": "{{name}}" },
          "webhooks": [ {
            "name": "a.example.com", "clientConfig": { "url": "https://hook.example.com" }, "sideEffects": "None", "admissionReviewVersions": ["v1"],
            "matchConditions": [ { "name": "not-mirror", "expression": "!has(object.metadata.annotations)" } ]
          } ]
        }
        """)!.AsObject();
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Admission;

public sealed class ValidationTests : FakeServerTest
{
    private const string Secrets = "/api/v1/namespaces/team-a/secrets";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateNamespaceAsync("team-a");
    }

    [Theory]
    [InlineData("Bad_Name")]
    [InlineData("-leading")]
    [InlineData("UPPER")]
    public async Task Create_SecretWithInvalidName_Returns422WithCause(string name)
    {
        var response = await Client.PostJsonAsync(Secrets, KubeHttp.Secret(name));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("Invalid", response.Reason);
        Assert.StartsWith($"Secret \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain", response.Message, StringComparison.Ordinal);
        var cause = response.Object["details"]!["causes"]![0]!;
        Assert.Equal("metadata.name", cause["field"]!.GetValue<string>());
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal("Secret", response.Object["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_NamespaceWithDots_Returns422BecauseNamespacesAreLabels()
    {
        var response = await Client.PostJsonAsync("/api/v1/namespaces", KubeHttp.Namespace("a.b"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains("RFC 1123 label", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutName_Returns422Required()
    {
        var response = await Client.PostJsonAsync(Secrets, new JsonObject { ["metadata"] = new JsonObject() });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("FieldValueRequired", response.Object["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_DockerConfigJsonWithoutKey_Returns422()
    {
        var response = await Client.PostJsonAsync(Secrets, KubeHttp.Secret("d", type: "kubernetes.io/dockerconfigjson", data: new() { ["other"] = "{}" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("Secret \"d\" is invalid: data[.dockerconfigjson]: Required value", response.Message);
        Assert.Equal("data[.dockerconfigjson]", response.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("kubernetes.io/dockerconfigjson", ".dockerconfigjson")]
    [InlineData("kubernetes.io/dockercfg", ".dockercfg")]
    public async Task Create_DockerSecretWithInvalidJson_Returns422WithoutLeakingContent(string type, string key)
    {
        var response = await Client.PostJsonAsync(Secrets, KubeHttp.Secret("d", type: type, data: new() { [key] = "{not json hunter2" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal($"data[{key}]", response.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.DoesNotContain("hunter2", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DockerCfgWithoutKey_Returns422()
    {
        var response = await Client.PostJsonAsync(Secrets, KubeHttp.Secret("d", type: "kubernetes.io/dockercfg"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("data[.dockercfg]", response.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_TlsSecretWithoutKeys_Returns422ForBoth()
    {
        var response = await Client.PostJsonAsync(Secrets, KubeHttp.Secret("t", type: "kubernetes.io/tls"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        var fields = response.Object["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>());
        Assert.Equal(["data[tls.crt]", "data[tls.key]"], fields);
        Assert.Equal("Secret \"t\" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]", response.Message);
    }

    [Fact]
    public async Task Create_DataNotBase64_Returns400LikeTheDecoder()
    {
        var secret = KubeHttp.Secret("b");
        secret["data"] = new JsonObject { ["k"] = "not base64!" };

        var response = await Client.PostJsonAsync(Secrets, secret);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("illegal base64 data", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_StringData_IsMergedIntoDataAndRemoved()
    {
        var secret = KubeHttp.Secret("s", data: new() { ["a"] = "old", ["b"] = "kept" });
        secret["stringData"] = new JsonObject { ["a"] = "new" };

        var created = await Client.PostJsonAsync(Secrets, secret);

        Assert.Null(created.Object["stringData"]);
        Assert.Equal("new", Encoding.UTF8.GetString(Convert.FromBase64String(created.Object["data"]!["a"]!.GetValue<string>())));
        Assert.Equal("kept", Encoding.UTF8.GetString(Convert.FromBase64String(created.Object["data"]!["b"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Update_SecretType_Returns422Immutable()
    {
        var created = await Client.PostJsonAsync(Secrets, KubeHttp.Secret("s"));
        var changed = (JsonObject)created.Object.DeepClone();
        changed["type"] = "kubernetes.io/basic-auth";
        changed["data"] = new JsonObject { ["username"] = "dQ==" };

        var response = await Client.PutJsonAsync($"{Secrets}/s", changed);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains("type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidLabelValue_Returns422()
    {
        var response = await Client.PostJsonAsync(Secrets, KubeHttp.Secret("s", labels: new() { ["k"] = "has space" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("metadata.labels", response.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_PodWithoutContainers_Returns422()
    {
        var response = await Client.PostJsonAsync("/api/v1/namespaces/team-a/pods", JsonNode.Parse("""{"metadata":{"name":"p"},"spec":{}}""")!);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("spec.containers", response.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_WebhookWithoutSideEffects_Returns422()
    {
        var config = JsonNode.Parse("""
            {"metadata":{"name":"h"},"webhooks":[{"name":"a.b.c","clientConfig":{"url":"https://x"},"admissionReviewVersions":["v1"]}]}
            """)!;

        var response = await Client.PostJsonAsync("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations", config);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("webhooks[0].sideEffects", response.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_WebhookWithMatchConditionsOn132_KeepsThem()
    {
        var response = await Client.PostJsonAsync("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations", OlderReleaseTests.WithMatchConditions("h"));

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("not-mirror", response.Object["webhooks"]![0]!["matchConditions"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_WrongFieldType_Returns400()
    {
        var response = await Client.PostJsonAsync(Secrets, JsonNode.Parse("""{"metadata":{"name":"s","labels":{"a":1}}}""")!);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task Create_NotJson_Returns400()
    {
        using var content = new StringContent("{not json", Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync(Secrets, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Create_YamlBody_IsAccepted()
    {
        using var content = new StringContent("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  port: \"80\"\n", Encoding.UTF8, "application/yaml");
        using var response = await Client.PostAsync("/api/v1/namespaces/team-a/configmaps", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Create_DryRun_ValidatesButStoresNothing()
    {
        var response = await Client.PostJsonAsync($"{Secrets}?dryRun=All", KubeHttp.Secret("dry"));

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync($"{Secrets}/dry")).Status);
    }
}

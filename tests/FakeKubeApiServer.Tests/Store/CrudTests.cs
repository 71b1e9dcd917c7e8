using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Store;

public sealed class CrudTests : FakeServerTest
{
    [Fact]
    public async Task Create_Secret_Returns201WithServerFields()
    {
        await CreateNamespaceAsync("team-a");

        var created = await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("s1", data: new() { ["a"] = "b" }));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var metadata = created.Object["metadata"]!;
        Assert.Equal("Secret", created.Object["kind"]!.GetValue<string>());
        Assert.Equal("v1", created.Object["apiVersion"]!.GetValue<string>());
        Assert.Equal("team-a", metadata["namespace"]!.GetValue<string>());
        Assert.True(Guid.TryParse(metadata["uid"]!.GetValue<string>(), out _));
        Assert.NotNull(metadata["creationTimestamp"]);
        Assert.Null(metadata["generation"]);
        Assert.Equal("Opaque", created.Object["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_EveryWrite_TakesAGreaterResourceVersion()
    {
        await CreateNamespaceAsync("team-a");

        var first = await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("s1"));
        var second = await Client.PostJsonAsync("/api/v1/namespaces/team-a/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "c1" } });

        Assert.True(long.Parse(second.ResourceVersion!) > long.Parse(first.ResourceVersion!));
        Assert.Equal(second.ResourceVersion, Server.Store.ResourceVersion);
    }

    [Fact]
    public async Task Create_Twice_Returns409AlreadyExists()
    {
        await CreateNamespaceAsync("team-a");
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("s1"));

        var again = await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("s1"));

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("AlreadyExists", again.Reason);
        Assert.Equal("secrets \"s1\" already exists", again.Message);
        Assert.Equal("Status", again.Object["kind"]!.GetValue<string>());
        Assert.Equal("Failure", again.Object["status"]!.GetValue<string>());
        Assert.Equal(409, again.Object["code"]!.GetValue<int>());
        Assert.Equal("s1", again.Object["details"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_InMissingNamespace_Returns404ForTheNamespace()
    {
        var response = await Client.PostJsonAsync("/api/v1/namespaces/nowhere/secrets", KubeHttp.Secret("s1"));

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("namespaces \"nowhere\" not found", response.Message);
    }

    [Fact]
    public async Task Create_WithGenerateName_AppendsFiveCharacters()
    {
        await CreateNamespaceAsync("team-a");
        var secret = new JsonObject { ["metadata"] = new JsonObject { ["generateName"] = "gen-" } };

        var created = await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", secret);

        var name = created.Object["metadata"]!["name"]!.GetValue<string>();
        Assert.Matches("^gen-[a-z0-9]{5}$", name);
        Assert.Equal("gen-", created.Object["metadata"]!["generateName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_NamespaceInBodyDiffersFromUrl_Returns400()
    {
        await CreateNamespaceAsync("team-a");
        var secret = KubeHttp.Secret("s1");
        secret["metadata"]!["namespace"] = "team-b";

        var response = await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", secret);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("BadRequest", response.Reason);
    }

    [Fact]
    public async Task Create_KeepsUnknownFieldsVerbatim()
    {
        await CreateNamespaceAsync("team-a");
        var secret = KubeHttp.Secret("s1");
        secret["futureField"] = new JsonObject { ["nested"] = new JsonArray(1, "two", null) };

        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", secret);
        var read = await Client.GetJsonAsync("/api/v1/namespaces/team-a/secrets/s1");

        Assert.Equal("""{"nested":[1,"two",null]}""", read.Object["futureField"]!.ToJsonString());
    }

    [Fact]
    public async Task Get_Missing_Returns404NotFoundStatus()
    {
        var response = await Client.GetJsonAsync("/api/v1/namespaces/default/secrets/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("NotFound", response.Reason);
        Assert.Equal("secrets \"nope\" not found", response.Message);
        Assert.Equal("secrets", response.Object["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_UnknownResource_Returns404()
    {
        var response = await Client.GetJsonAsync("/api/v1/namespaces/default/widgets");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Fact]
    public async Task List_ReturnsTypedListWithResourceVersion_ItemsWithoutKind()
    {
        await CreateNamespaceAsync("team-a");
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("b"));
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("a"));

        var list = await Client.GetJsonAsync("/api/v1/namespaces/team-a/secrets");

        Assert.Equal("SecretList", list.Object["kind"]!.GetValue<string>());
        Assert.Equal("v1", list.Object["apiVersion"]!.GetValue<string>());
        Assert.Equal(Server.Store.ResourceVersion, list.ResourceVersion);
        Assert.Equal(["a", "b"], list.ItemNames);
        Assert.All(list.Items, i => Assert.Null(i!["kind"]));
    }

    [Fact]
    public async Task List_AcrossNamespaces_ReturnsEveryNamespace()
    {
        await CreateNamespaceAsync("team-a");
        await CreateNamespaceAsync("team-b");
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("s"));
        await Client.PostJsonAsync("/api/v1/namespaces/team-b/secrets", KubeHttp.Secret("s"));

        var list = await Client.GetJsonAsync("/api/v1/secrets");

        Assert.Equal(2, list.Items.Count);
    }

    [Fact]
    public async Task Update_WithStaleResourceVersion_Returns409Conflict()
    {
        await CreateNamespaceAsync("team-a");
        var created = await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("s1"));
        var stale = (JsonObject)created.Object.DeepClone();
        await Client.PutJsonAsync("/api/v1/namespaces/team-a/secrets/s1", WithLabel(created.Object, "x", "1"));

        var response = await Client.PutJsonAsync("/api/v1/namespaces/team-a/secrets/s1", WithLabel(stale, "y", "2"));

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        Assert.Equal("Conflict", response.Reason);
        Assert.Equal("Operation cannot be fulfilled on secrets \"s1\": the object has been modified; please apply your changes to the latest version and try again", response.Message);
    }

    [Fact]
    public async Task Update_WithoutResourceVersion_IsUnconditional()
    {
        await CreateNamespaceAsync("team-a");
        var created = await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("s1"));
        var body = WithLabel(created.Object, "x", "1");
        body["metadata"]!.AsObject().Remove("resourceVersion");

        var response = await Client.PutJsonAsync("/api/v1/namespaces/team-a/secrets/s1", body);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("1", response.Object["metadata"]!["labels"]!["x"]!.GetValue<string>());
        Assert.Equal(created.Object["metadata"]!["uid"]!.ToJsonString(), response.Object["metadata"]!["uid"]!.ToJsonString());
    }

    [Fact]
    public async Task Update_WithNoChange_KeepsResourceVersionAndEmitsNoEvent()
    {
        await CreateNamespaceAsync("team-a");
        var created = await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("s1", data: new() { ["k"] = "v" }));

        var same = await Client.PutJsonAsync("/api/v1/namespaces/team-a/secrets/s1", created.Object);

        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Equal(created.ResourceVersion, same.ResourceVersion);
        Assert.Equal(created.ResourceVersion, Server.Store.ResourceVersion);
    }

    [Fact]
    public async Task Update_NameDiffersFromUrl_Returns400()
    {
        await CreateNamespaceAsync("team-a");
        var created = await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("s1"));

        var response = await Client.PutJsonAsync("/api/v1/namespaces/team-a/secrets/other", created.Object);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task Update_Missing_Returns404()
    {
        var response = await Client.PutJsonAsync("/api/v1/namespaces/default/secrets/s1", KubeHttp.Secret("s1"));

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Fact]
    public async Task Update_SpecChange_BumpsGeneration()
    {
        var config = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "hook" },
            ["webhooks"] = new JsonArray(Webhook("a.example.com")),
        };
        var created = await Client.PostJsonAsync("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations", config);
        Assert.Equal(1, created.Object["metadata"]!["generation"]!.GetValue<long>());
        var changed = (JsonObject)created.Object.DeepClone();
        changed["webhooks"]!.AsArray().Add(Webhook("b.example.com"));

        var updated = await Client.PutJsonAsync("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/hook", changed);

        Assert.Equal(2, updated.Object["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal("Fail", updated.Object["webhooks"]![1]!["failurePolicy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_Secret_ReturnsSuccessStatus_AndRemovesIt()
    {
        await CreateNamespaceAsync("team-a");
        var created = await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("s1"));

        var deleted = await Client.DeleteJsonAsync("/api/v1/namespaces/team-a/secrets/s1");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("Success", deleted.Object["status"]!.GetValue<string>());
        Assert.Equal(created.Object["metadata"]!["uid"]!.GetValue<string>(), deleted.Object["details"]!["uid"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync("/api/v1/namespaces/team-a/secrets/s1")).Status);
    }

    [Fact]
    public async Task Delete_Missing_Returns404()
    {
        var response = await Client.DeleteJsonAsync("/api/v1/namespaces/default/secrets/none");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Fact]
    public async Task Namespace_Create_GetsMetadataNameLabelAndDefaultServiceAccount()
    {
        await CreateNamespaceAsync("team-a");

        var ns = await Client.GetJsonAsync("/api/v1/namespaces/team-a");
        var serviceAccount = await Client.GetJsonAsync("/api/v1/namespaces/team-a/serviceaccounts/default");

        Assert.Equal("team-a", ns.Object["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.Equal("Active", ns.Object["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, serviceAccount.Status);
    }

    [Fact]
    public async Task UnsupportedMethod_Returns405()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/namespaces/default/secrets");
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Writes_RecordManagedFieldsPerFieldManager()
    {
        await CreateNamespaceAsync("team-a");
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets?fieldManager=creator", KubeHttp.Secret("s", data: new() { ["a"] = "b" }));

        var patched = await Client.PatchJsonAsync("/api/v1/namespaces/team-a/secrets/s?fieldManager=labeler", "application/merge-patch+json", """{"metadata":{"labels":{"x":"y"}}}""");

        var entries = patched.Object["metadata"]!["managedFields"]!.AsArray();
        Assert.Equal(["creator", "labeler"], entries.Select(e => e!["manager"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal("Update", e!["operation"]!.GetValue<string>()));
        Assert.NotNull(entries[1]!["fieldsV1"]!["f:metadata"]!["f:labels"]!["f:x"]);
        Assert.NotNull(entries[0]!["fieldsV1"]!["f:data"]!["f:a"]);
    }

    [Fact]
    public void Store_DirectWrites_AreVisibleOverHttp()
    {
        Server.Store.Create("v1", "namespaces", null, KubeHttp.Namespace("seeded"));
        Server.Store.Create("v1", "secrets", "seeded", KubeHttp.Secret("s1"));

        var secret = Server.Store.Get("v1", "secrets", "seeded", "s1");

        Assert.NotNull(secret);
        Assert.Single(Server.Store.List("v1", "secrets", "seeded"));
        Assert.NotNull(Server.Store.Delete("v1", "secrets", "seeded", "s1"));
        Assert.Null(Server.Store.Get("v1", "secrets", "seeded", "s1"));
    }

    [Fact]
    public void Store_InvalidObject_ThrowsApiExceptionWith422()
    {
        Server.Store.Create("v1", "namespaces", null, KubeHttp.Namespace("seeded"));

        var error = Assert.Throws<ApiException>(() => Server.Store.Create("v1", "secrets", "seeded", KubeHttp.Secret("s1", type: "kubernetes.io/tls")));

        Assert.Equal(422, error.Code);
        Assert.Equal("Invalid", error.Reason);
    }

    private static JsonObject WithLabel(JsonObject obj, string key, string value)
    {
        var copy = (JsonObject)obj.DeepClone();
        var metadata = copy["metadata"]!.AsObject();
        var labels = metadata["labels"] as JsonObject ?? [];
        labels[key] = value;
        metadata["labels"] = labels;
        return copy;
    }

    private static JsonObject Webhook(string name) => new()
    {
        ["name"] = name,
        ["clientConfig"] = new JsonObject { ["url"] = "https://example.com/mutate" },
        ["sideEffects"] = "None",
        ["admissionReviewVersions"] = new JsonArray("v1"),
    };
}

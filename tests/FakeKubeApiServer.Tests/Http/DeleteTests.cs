using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Http;

public sealed class DeleteTests : FakeServerTest
{
    private const string Secrets = "/api/v1/namespaces/team-a/secrets";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateNamespaceAsync("team-a");
    }

    [Fact]
    public async Task Delete_WithMismatchedUidPrecondition_Returns409AndKeepsObject()
    {
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("s"));
        var options = JsonNode.Parse("""{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"00000000-0000-0000-0000-000000000000"}}""");

        var response = await Client.DeleteJsonAsync($"{Secrets}/s", options);

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        Assert.Equal("Conflict", response.Reason);

        // rest.BeforeDelete's wording, naming the kind (as a real kube-apiserver answers; see the fidelity tests).
        Assert.StartsWith("Operation cannot be fulfilled on Secret \"s\": the UID in the precondition (00000000-0000-0000-0000-000000000000) does not match the UID in record", response.Message, StringComparison.Ordinal);
        Assert.Equal("Secret", response.Object["details"]!["kind"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetJsonAsync($"{Secrets}/s")).Status);
    }

    [Fact]
    public async Task Delete_WithStaleResourceVersionPrecondition_Returns409()
    {
        var created = await Client.PostJsonAsync(Secrets, KubeHttp.Secret("s"));
        await Client.PatchJsonAsync($"{Secrets}/s", "application/merge-patch+json", """{"metadata":{"labels":{"a":"b"}}}""");
        var options = new JsonObject { ["preconditions"] = new JsonObject { ["resourceVersion"] = created.ResourceVersion } };

        var response = await Client.DeleteJsonAsync($"{Secrets}/s", options);

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
    }

    [Fact]
    public async Task Delete_WithMatchingPreconditions_Deletes()
    {
        var created = await Client.PostJsonAsync(Secrets, KubeHttp.Secret("s"));
        var options = new JsonObject
        {
            ["preconditions"] = new JsonObject { ["uid"] = created.Object["metadata"]!["uid"]!.GetValue<string>(), ["resourceVersion"] = created.ResourceVersion },
        };

        var response = await Client.DeleteJsonAsync($"{Secrets}/s", options);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync($"{Secrets}/s")).Status);
    }

    [Fact]
    public async Task Delete_Pod_ReturnsTheDeletedObject()
    {
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/pods", JsonNode.Parse("""{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]}}""")!);

        var response = await Client.DeleteJsonAsync("/api/v1/namespaces/team-a/pods/p");

        Assert.Equal("Pod", response.Object["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_Namespace_DeletesEverythingInItWithAnEventEach()
    {
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("a"));
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("b"));
        await CreateNamespaceAsync("team-b");
        await Client.PostJsonAsync("/api/v1/namespaces/team-b/secrets", KubeHttp.Secret("other"));
        await using var watch = await WatchStream.OpenAsync(Client, $"/api/v1/secrets?watch=true&resourceVersion={Server.Store.ResourceVersion}");

        var response = await Client.DeleteJsonAsync("/api/v1/namespaces/team-a");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var deleted = new[] { await watch.NextAsync(), await watch.NextAsync() };
        Assert.All(deleted, e => Assert.Equal("DELETED", e!["type"]!.GetValue<string>()));
        Assert.Equal(["a", "b"], deleted.Select(e => e!["object"]!["metadata"]!["name"]!.GetValue<string>()).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync("/api/v1/namespaces/team-a")).Status);
        Assert.Empty((await Client.GetJsonAsync(Secrets)).Items);
        Assert.Single((await Client.GetJsonAsync("/api/v1/namespaces/team-b/secrets")).Items);
    }

    [Fact]
    public async Task Delete_DefaultNamespace_Returns403()
    {
        var response = await Client.DeleteJsonAsync("/api/v1/namespaces/default");

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
    }

    [Fact]
    public async Task Delete_WithFinalizer_MarksUntilFinalizerRemoved()
    {
        await Client.PostJsonAsync(Secrets, JsonNode.Parse("""{"metadata":{"name":"f","finalizers":["example.com/hold"]}}""")!);

        var accepted = await Client.DeleteJsonAsync($"{Secrets}/f");
        var marked = await Client.GetJsonAsync($"{Secrets}/f");
        await Client.PatchJsonAsync($"{Secrets}/f", "application/merge-patch+json", """{"metadata":{"finalizers":null}}""");

        // 200 with the marked object, as kube-apiserver answers (202 only for orphanDependents=false).
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.NotNull(accepted.Object["metadata"]!["deletionTimestamp"]);
        Assert.NotNull(marked.Object["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync($"{Secrets}/f")).Status);
    }

    [Fact]
    public async Task DeleteCollection_WithLabelSelector_DeletesOnlyMatches()
    {
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("x", labels: new() { ["app"] = "a" }));
        await Client.PostJsonAsync(Secrets, KubeHttp.Secret("y"));

        var response = await Client.DeleteJsonAsync($"{Secrets}?labelSelector=app%3Da");

        Assert.Equal(["x"], response.ItemNames);
        Assert.Equal(["y"], (await Client.GetJsonAsync(Secrets)).ItemNames);
    }
}

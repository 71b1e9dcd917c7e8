using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Http;

/// <summary>Namespace deletion as a real cluster does it (checked against kube-apiserver by the end-to-end fidelity
/// tests): Terminating first, contents deleted, finalizers honoured, no new objects meanwhile.</summary>
public sealed class NamespaceLifecycleTests : FakeServerTest
{
    [Fact]
    public async Task Delete_AnswersTerminating_ThenWatchSeesTerminatingAndDeleted()
    {
        await CreateNamespaceAsync("team-a");
        var rv = Server.Store.ResourceVersion;
        await using var watch = await WatchStream.OpenAsync(Client, $"/api/v1/namespaces?watch=true&resourceVersion={rv}&fieldSelector=metadata.name%3Dteam-a");

        var deleted = await Client.DeleteJsonAsync("/api/v1/namespaces/team-a");
        var modified = await watch.NextMatchingAsync(e => e["type"]!.GetValue<string>() == "MODIFIED");
        var gone = await watch.NextMatchingAsync(e => e["type"]!.GetValue<string>() == "DELETED");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("Terminating", deleted.Object["status"]!["phase"]!.GetValue<string>());
        Assert.NotNull(deleted.Object["metadata"]!["deletionTimestamp"]);
        Assert.Equal("Terminating", modified["object"]!["status"]!["phase"]!.GetValue<string>());

        // The store deleted instead of finalizing: the DELETED event still shows the controller's finalizer.
        Assert.Equal("""["kubernetes"]""", gone["object"]!["spec"]!["finalizers"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync("/api/v1/namespaces/team-a")).Status);
    }

    [Fact]
    public async Task Delete_WithAFinalizerOfItsOwn_StaysTerminating_RefusesNewObjects_UntilFinalized()
    {
        await Client.PostJsonAsync("/api/v1/namespaces", JsonNode.Parse("""{"metadata":{"name":"team-a"},"spec":{"finalizers":["example.com/hold"]}}""")!);
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/configmaps", JsonNode.Parse("""{"metadata":{"name":"c"}}""")!);

        await Client.DeleteJsonAsync("/api/v1/namespaces/team-a");
        var refused = await Client.PostJsonAsync("/api/v1/namespaces/team-a/configmaps", JsonNode.Parse("""{"metadata":{"name":"d"}}""")!);
        var held = await Client.GetJsonAsync("/api/v1/namespaces/team-a");
        var contents = await Client.GetJsonAsync("/api/v1/namespaces/team-a/configmaps");
        var finalized = await Client.PutJsonAsync("/api/v1/namespaces/team-a/finalize", JsonNode.Parse("""{"metadata":{"name":"team-a"},"spec":{"finalizers":[]}}""")!);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("configmaps \"d\" is forbidden: unable to create new content in namespace team-a because it is being terminated", refused.Message);
        Assert.Equal("NamespaceTerminating", refused.Object["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal("""["example.com/hold"]""", held.Object["spec"]!["finalizers"]!.ToJsonString());
        Assert.Empty(contents.ItemNames);
        Assert.Equal(HttpStatusCode.OK, finalized.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync("/api/v1/namespaces/team-a")).Status);
    }

    [Fact]
    public async Task Delete_ContentWithFinalizers_HoldsTheNamespaceUntilTheyAreRemoved()
    {
        await CreateNamespaceAsync("team-a");
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/configmaps", JsonNode.Parse("""{"metadata":{"name":"c","finalizers":["example.com/hold"]}}""")!);

        await Client.DeleteJsonAsync("/api/v1/namespaces/team-a");
        var held = await Client.GetJsonAsync("/api/v1/namespaces/team-a");
        await Client.PatchJsonAsync("/api/v1/namespaces/team-a/configmaps/c", "application/merge-patch+json", """{"metadata":{"finalizers":null}}""");

        Assert.Equal("Terminating", held.Object["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync("/api/v1/namespaces/team-a")).Status);
    }

    [Fact]
    public async Task Update_CannotChangeSpecOrStatus()
    {
        var created = await Client.PostJsonAsync("/api/v1/namespaces", JsonNode.Parse("""{"metadata":{"name":"team-a"},"spec":{"finalizers":["example.com/x"]}}""")!);
        var body = created.Object.DeepClone().AsObject();
        body["spec"] = new JsonObject();
        body["status"] = new JsonObject { ["phase"] = "Terminating" };

        var updated = await Client.PutJsonAsync("/api/v1/namespaces/team-a", body);

        Assert.Equal("""{"finalizers":["example.com/x","kubernetes"]}""", updated.Object["spec"]!.ToJsonString());
        Assert.Equal("Active", updated.Object["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeleteCollection_OfNamespaces_IsMethodNotAllowed()
    {
        var response = await Client.DeleteJsonAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetJsonAsync("/api/v1/namespaces/default")).Status);
    }
}

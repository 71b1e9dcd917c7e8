using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Patching;

public sealed class PatchHttpTests : FakeServerTest
{
    private const string Secret = "/api/v1/namespaces/team-a/secrets/s1";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateNamespaceAsync("team-a");
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("s1", labels: new() { ["keep"] = "1", ["drop"] = "2" }, data: new() { ["a"] = "x" }));
    }

    [Fact]
    public async Task MergePatch_MergesMapsAndNullDeletes()
    {
        var patched = await Client.PatchJsonAsync(Secret, "application/merge-patch+json", """{"metadata":{"labels":{"drop":null,"new":"3"}}}""");

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("""{"keep":"1","new":"3"}""", patched.Object["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public async Task JsonPatch_AppliesOperationsInOrder()
    {
        var patched = await Client.PatchJsonAsync(Secret, "application/json-patch+json", """
            [
              {"op":"test","path":"/metadata/labels/keep","value":"1"},
              {"op":"remove","path":"/metadata/labels/drop"},
              {"op":"add","path":"/metadata/labels/a~1b","value":"slash"},
              {"op":"copy","from":"/metadata/labels/keep","path":"/metadata/labels/copied"},
              {"op":"move","from":"/metadata/labels/copied","path":"/metadata/labels/moved"},
              {"op":"replace","path":"/type","value":"Opaque"}
            ]
            """);

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        // Labels come back in key order, as Go writes a map.
        Assert.Equal("""{"a/b":"slash","keep":"1","moved":"1"}""", patched.Object["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public async Task JsonPatch_FailingTest_Returns422AndChangesNothing()
    {
        var before = await Client.GetJsonAsync(Secret);

        var response = await Client.PatchJsonAsync(Secret, "application/json-patch+json", """[{"op":"test","path":"/metadata/labels/keep","value":"other"},{"op":"remove","path":"/metadata/labels/keep"}]""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("Invalid", response.Reason);
        Assert.Equal(before.ResourceVersion, (await Client.GetJsonAsync(Secret)).ResourceVersion);
    }

    [Fact]
    public async Task JsonPatch_RemoveMissingPath_Returns422()
    {
        var response = await Client.PatchJsonAsync(Secret, "application/json-patch+json", """[{"op":"remove","path":"/metadata/annotations/none"}]""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
    }

    [Fact]
    public async Task JsonPatch_NotAnArray_Returns400()
    {
        var response = await Client.PatchJsonAsync(Secret, "application/json-patch+json", """{"op":"add"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task StrategicMergePatch_ServiceAccountImagePullSecrets_AreReplaced()
    {
        // ServiceAccount.imagePullSecrets carries no patchStrategy (PodSpec's does): kube-apiserver replaces it.
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/serviceaccounts", JsonNode.Parse("""
            {"metadata":{"name":"sa"},"imagePullSecrets":[{"name":"a"},{"name":"b"}],"secrets":[{"name":"t"}]}
            """)!);

        var patched = await Client.PatchJsonAsync("/api/v1/namespaces/team-a/serviceaccounts/sa", "application/strategic-merge-patch+json", """
            {"imagePullSecrets":[{"name":"c"}],"secrets":[{"name":"u"}]}
            """);

        Assert.Equal("""[{"name":"c"}]""", patched.Object["imagePullSecrets"]!.ToJsonString());
        Assert.Equal("""[{"name":"t"},{"name":"u"}]""", patched.Object["secrets"]!.ToJsonString());
    }

    [Fact]
    public async Task StrategicMergePatch_MergesContainersByNameAndEnvByName()
    {
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/pods", JsonNode.Parse("""
            {"metadata":{"name":"p"},"spec":{"containers":[
              {"name":"app","image":"app:1","env":[{"name":"A","value":"1"}]},
              {"name":"side","image":"side:1"}]}}
            """)!);

        var patched = await Client.PatchJsonAsync("/api/v1/namespaces/team-a/pods/p", "application/strategic-merge-patch+json", """
            {"spec":{"containers":[{"name":"app","image":"app:2"}]}}
            """);

        var containers = patched.Object["spec"]!["containers"]!.AsArray();
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal(["app:2", "side:1"], containers.Select(c => c!["image"]!.GetValue<string>()));
        Assert.Equal("1", containers[0]!["env"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task StrategicMergePatch_ListWithoutMergeKey_IsReplaced()
    {
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/configmaps", JsonNode.Parse("""{"metadata":{"name":"c","finalizers":["a/x"]},"data":{"k":"v"}}""")!);

        var patched = await Client.PatchJsonAsync("/api/v1/namespaces/team-a/configmaps/c", "application/strategic-merge-patch+json", """
            {"metadata":{"finalizers":["b/y"]},"data":{"$patch":"replace","n":"m"}}
            """);

        Assert.Equal("""["a/x","b/y"]""", patched.Object["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("""{"n":"m"}""", patched.Object["data"]!.ToJsonString());
    }

    [Fact]
    public async Task Patch_ApplyPatch_Returns415()
    {
        var response = await Client.PatchJsonAsync(Secret, "application/apply-patch+yaml", """{"metadata":{}}""");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
    }

    [Fact]
    public async Task Patch_MissingObject_Returns404()
    {
        var response = await Client.PatchJsonAsync("/api/v1/namespaces/team-a/secrets/none", "application/merge-patch+json", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Fact]
    public async Task Patch_WithStaleResourceVersion_Returns409()
    {
        var response = await Client.PatchJsonAsync(Secret, "application/merge-patch+json", """{"metadata":{"resourceVersion":"1","labels":{"x":"y"}}}""");

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        Assert.Equal("Conflict", response.Reason);
    }

    [Fact]
    public async Task Patch_ThatChangesNothing_KeepsResourceVersion()
    {
        var before = await Client.GetJsonAsync(Secret);

        var patched = await Client.PatchJsonAsync(Secret, "application/merge-patch+json", """{"metadata":{"labels":{"keep":"1"}}}""");

        Assert.Equal(before.ResourceVersion, patched.ResourceVersion);
    }
}

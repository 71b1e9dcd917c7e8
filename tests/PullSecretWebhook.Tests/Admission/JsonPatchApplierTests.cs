using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Admission;

/// <summary>The judge of the admission tests' patches (ASP.NET Core's JSON Patch) applies what the API server applies
/// and refuses what the API server refuses: it can fail the tests that rely on it.</summary>
public sealed class JsonPatchApplierTests
{
    private static JsonNode Pod(string specJson) => JsonNode.Parse($$"""{"metadata":{"name":"p"},"spec":{{specJson}}}""")!;

    [Fact]
    public void Apply_AddList_WhereAbsent_CreatesIt()
    {
        var patched = JsonPatchApplier.Apply(Pod("""{"containers":[]}"""), JsonNode.Parse("""[{"op":"add","path":"/spec/imagePullSecrets","value":[{"name":"s"}]}]""")!.AsArray());

        Assert.Equal("""[{"name":"s"}]""", patched["spec"]!["imagePullSecrets"]!.ToJsonString());
    }

    [Fact]
    public void Apply_AppendWithDash_KeepsExistingEntriesFirst()
    {
        var patched = JsonPatchApplier.Apply(Pod("""{"imagePullSecrets":[{"name":"a"}]}"""), JsonNode.Parse("""[{"op":"add","path":"/spec/imagePullSecrets/-","value":{"name":"s"}}]""")!.AsArray());

        Assert.Equal("""[{"name":"a"},{"name":"s"}]""", patched["spec"]!["imagePullSecrets"]!.ToJsonString());
    }

    [Fact]
    public void Apply_AppendToAbsentList_IsRefused()
    {
        Assert.ThrowsAny<Exception>(() => JsonPatchApplier.Apply(Pod("""{"containers":[]}"""), JsonNode.Parse("""[{"op":"add","path":"/spec/imagePullSecrets/-","value":{"name":"s"}}]""")!.AsArray()));
    }

    [Fact]
    public void Apply_FailedTest_IsRefused()
    {
        Assert.ThrowsAny<Exception>(() => JsonPatchApplier.Apply(Pod("""{"imagePullSecrets":[{"name":"a"}]}"""), JsonNode.Parse("""[{"op":"test","path":"/spec/imagePullSecrets/0/name","value":"b"}]""")!.AsArray()));
    }
}

using System.Text.Json.Nodes;
using FakeKubeApiServer.Patching;

namespace FakeKubeApiServer.Tests.Patching;

public sealed class JsonPatchTests
{
    [Theory]
    [InlineData("""{"a":[1,2]}""", """[{"op":"add","path":"/a/-","value":3}]""", """{"a":[1,2,3]}""")]
    [InlineData("""{"a":[1,2]}""", """[{"op":"add","path":"/a/0","value":0}]""", """{"a":[0,1,2]}""")]
    [InlineData("""{"a":[1,2]}""", """[{"op":"remove","path":"/a/0"}]""", """{"a":[2]}""")]
    [InlineData("""{"a":null}""", """[{"op":"test","path":"/a","value":null},{"op":"replace","path":"/a","value":{"b":1}}]""", """{"a":{"b":1}}""")]
    [InlineData("""{"spec":{}}""", """[{"op":"add","path":"/spec/imagePullSecrets","value":[{"name":"x"}]}]""", """{"spec":{"imagePullSecrets":[{"name":"x"}]}}""")]
    public void Apply_FollowsRfc6902(string document, string patch, string expected)
    {
        var result = JsonPatch.Apply(JsonNode.Parse(document)!.AsObject(), JsonNode.Parse(patch));

        Assert.Equal(expected, result.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"add","path":"/a/5","value":1}]""")]
    [InlineData("""[{"op":"replace","path":"/missing","value":1}]""")]
    [InlineData("""[{"op":"test","path":"/a","value":[2,1]}]""")]
    public void Apply_ImpossibleOperation_Throws422(string patch)
    {
        var error = Assert.Throws<ApiException>(() => JsonPatch.Apply(JsonNode.Parse("""{"a":[1,2]}""")!.AsObject(), JsonNode.Parse(patch)));

        Assert.Equal(422, error.Code);
    }
}

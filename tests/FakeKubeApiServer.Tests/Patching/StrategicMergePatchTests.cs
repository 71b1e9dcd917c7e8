using System.Text.Json.Nodes;
using FakeKubeApiServer.Patching;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    [Theory]
    [InlineData(
        """{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"name":"http"}]}]}}""",
        """{"spec":{"containers":[{"name":"a","ports":[{"containerPort":443}]}]}}""",
        """{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}]}]}}""")]
    [InlineData(
        """{"spec":{"volumes":[{"name":"v","secret":{"secretName":"s"}}]}}""",
        """{"spec":{"volumes":[{"name":"v","$retainKeys":["name","configMap"],"configMap":{"name":"c"}}]}}""",
        """{"spec":{"volumes":[{"name":"v","configMap":{"name":"c"}}]}}""")]
    [InlineData(
        """{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""",
        """{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"b","image":"x"}]}}""",
        """{"spec":{"containers":[{"name":"b","image":"x"},{"name":"a"}]}}""")]
    [InlineData(
        """{"spec":{"containers":[{"name":"a"}]}}""",
        """{"spec":{"containers":[{"name":"z"},{"$patch":"replace"}]}}""",
        """{"spec":{"containers":[{"name":"z"}]}}""")]
    [InlineData(
        """{"metadata":{"finalizers":["a","b"]}}""",
        """{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}""",
        """{"metadata":{"finalizers":["b"]}}""")]
    [InlineData(
        """{"spec":{"nodeSelector":{"a":"1"},"tolerations":[{"key":"x"}]}}""",
        """{"spec":{"nodeSelector":{"$patch":"delete"},"tolerations":[{"key":"y"}]}}""",
        """{"spec":{"tolerations":[{"key":"y"}]}}""")]
    [InlineData(
        """{"spec":{"imagePullSecrets":[{"name":"a"},{"name":"b"}]}}""",
        """{"spec":{"imagePullSecrets":[{"name":"c"},{"name":"a","$patch":"delete"}]}}""",
        """{"spec":{"imagePullSecrets":[{"name":"b"},{"name":"c"}]}}""")]
    public void Apply_Pod_FollowsPatchStrategies(string original, string patch, string expected)
    {
        var result = StrategicMergePatch.Apply(JsonNode.Parse(original)!.AsObject(), JsonNode.Parse(patch), PatchSchema.For(ResourceCatalog.Pods));

        Assert.Equal(expected, result.ToJsonString());
    }

    [Fact]
    public void Apply_WebhookConfiguration_MergesWebhooksByName()
    {
        var original = JsonNode.Parse("""{"webhooks":[{"name":"a.x.io","timeoutSeconds":5},{"name":"b.x.io"}]}""")!.AsObject();

        var result = StrategicMergePatch.Apply(original, JsonNode.Parse("""{"webhooks":[{"name":"a.x.io","timeoutSeconds":10}]}"""), PatchSchema.For(ResourceCatalog.MutatingWebhookConfigurations));

        Assert.Equal("""{"webhooks":[{"name":"a.x.io","timeoutSeconds":10},{"name":"b.x.io"}]}""", result.ToJsonString());
    }
}

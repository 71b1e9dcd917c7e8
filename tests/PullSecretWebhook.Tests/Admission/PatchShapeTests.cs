using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Admission;

/// <summary>Every shape of <c>spec.imagePullSecrets</c>: the exact operations, and that they apply to the request's
/// own object and keep existing entries in order and every other field as it was.</summary>
public sealed class PatchShapeTests
{
    public static TheoryData<string, bool, string?, string, string> Shapes() => new()
    {
        { "absent", false, null, """[{"op":"add","path":"/spec/imagePullSecrets","value":[{"name":"pullsecret-webhook"}]}]""", """[{"name":"pullsecret-webhook"}]""" },
        { "null", true, "null", """[{"op":"add","path":"/spec/imagePullSecrets","value":[{"name":"pullsecret-webhook"}]}]""", """[{"name":"pullsecret-webhook"}]""" },
        { "empty", true, "[]", """[{"op":"add","path":"/spec/imagePullSecrets/-","value":{"name":"pullsecret-webhook"}}]""", """[{"name":"pullsecret-webhook"}]""" },
        { "two others", true, """[{"name":"b"},{"name":"a"}]""", """[{"op":"add","path":"/spec/imagePullSecrets/-","value":{"name":"pullsecret-webhook"}}]""", """[{"name":"b"},{"name":"a"},{"name":"pullsecret-webhook"}]""" },
        { "entry without name", true, """[{}]""", """[{"op":"add","path":"/spec/imagePullSecrets/-","value":{"name":"pullsecret-webhook"}}]""", """[{},{"name":"pullsecret-webhook"}]""" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Mutate_ImagePullSecretsShape_AddsExactlyTheReference(string shape, bool present, string? existing, string expectedPatch, string expectedList)
    {
        var review = Reviews.PodCreate(includeImagePullSecrets: present, imagePullSecrets: existing is null ? null : JsonNode.Parse(existing));
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        var (_, answer) = await AdmissionClient.PostAsync(client, review);

        var patch = AdmissionClient.Patch(answer);
        Assert.NotNull(patch);
        Assert.Equal(expectedPatch, patch.ToJsonString());
        var original = review["request"]!["object"]!;
        var patched = JsonPatchApplier.Apply(original, patch);
        Assert.Equal(expectedList, patched["spec"]!["imagePullSecrets"]!.ToJsonString());
        // Nothing else moved: drop the list from both and compare the rest, unknown fields included.
        var before = original.DeepClone();
        before["spec"]!.AsObject().Remove("imagePullSecrets");
        patched["spec"]!.AsObject().Remove("imagePullSecrets");
        Assert.True(JsonNode.DeepEquals(before, patched), shape);
    }

    [Theory]
    [InlineData("\"a-string\"")]
    [InlineData("{\"name\":\"x\"}")]
    [InlineData("42")]
    public async Task Mutate_ImagePullSecretsOfWrongType_IsAllowedWithoutPatch(string value)
    {
        // No add-only patch applies to these, and a patch that fails to apply would fail the Pod.
        var review = Reviews.PodCreate(includeImagePullSecrets: true, imagePullSecrets: JsonNode.Parse(value));
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        var (status, answer) = await AdmissionClient.PostAsync(client, review);

        Assert.Equal(200, status);
        Assert.True((bool)answer["response"]!["allowed"]!);
        Assert.Null(AdmissionClient.Patch(answer));
    }

    [Theory]
    [InlineData("spec", "null")]
    [InlineData("spec", "\"x\"")]
    [InlineData("metadata", "[]")]
    [InlineData("object", "null")]
    [InlineData("object", "[1,2]")]
    public async Task Mutate_PodWithBrokenStructure_IsAllowedWithoutPatch(string field, string value)
    {
        var review = Reviews.PodCreate();
        if (field == "object")
        {
            review["request"]![field] = JsonNode.Parse(value);
        }
        else
        {
            review["request"]!["object"]![field] = JsonNode.Parse(value);
        }

        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        var (status, answer) = await AdmissionClient.PostAsync(client, review);

        Assert.Equal(200, status);
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", (string?)answer["response"]!["uid"]);
        if (field == "metadata")
        {
            // Metadata of the wrong type hides no opt-out: the Pod is still injected.
            Assert.NotNull(AdmissionClient.Patch(answer));
        }
        else
        {
            Assert.Null(AdmissionClient.Patch(answer));
        }
    }

    [Fact]
    public async Task Mutate_V1Beta1Review_IsAnsweredInV1Beta1()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        var (_, answer) = await AdmissionClient.PostAsync(client, Reviews.PodCreate(apiVersion: "admission.k8s.io/v1beta1"));

        Assert.Equal("admission.k8s.io/v1beta1", (string?)answer["apiVersion"]);
        Assert.NotNull(AdmissionClient.Patch(answer));
    }

    [Fact]
    public async Task Mutate_DryRunPod_IsAnsweredExactlyLikeARealRequest()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();
        var dryRun = Reviews.PodCreate();
        dryRun["request"]!["dryRun"] = true;

        var (_, real) = await AdmissionClient.PostAsync(client, Reviews.PodCreate());
        var (_, dry) = await AdmissionClient.PostAsync(client, dryRun);

        Assert.Equal(real.ToJsonString(), dry.ToJsonString());
    }
}

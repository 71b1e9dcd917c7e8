using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Admission;

/// <summary>Every real AdmissionReview in tests/Fixtures/admissionreview, posted through the whole host.</summary>
public sealed class FixtureTests
{
    public static TheoryData<string> Documents() => [.. Fixtures.AdmissionReviews().Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Mutate_Fixture_AnswersWellFormedReviewWhosePatchAppliesAndIsIdempotent(string file)
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();
        var review = Fixtures.Load(Path.Combine(Fixtures.AdmissionReviewDirectory, file));
        var request = review["request"]!.AsObject();

        var (status, answer) = await AdmissionClient.PostAsync(client, review);

        Assert.Equal(200, status);
        Assert.Equal((string?)review["apiVersion"], (string?)answer["apiVersion"]);
        Assert.Equal("AdmissionReview", (string?)answer["kind"]);
        var response = answer["response"]!.AsObject();
        Assert.Equal((string?)request["uid"] ?? "", (string?)response["uid"]);
        Assert.True((bool)response["allowed"]!);

        var patch = AdmissionClient.Patch(answer);
        var isPod = (string?)request["kind"]!["kind"] == "Pod";
        if (!isPod)
        {
            Assert.Null(patch);
            return;
        }

        Assert.NotNull(patch);
        var original = request["object"]!;
        var patched = JsonPatchApplier.Apply(original, patch);

        var expectedSecrets = original["spec"]!["imagePullSecrets"]?.AsArray().DeepClone().AsArray() ?? [];
        expectedSecrets.Add(new JsonObject { ["name"] = "pullsecret-webhook" });
        var expectedPod = original.DeepClone();
        expectedPod["spec"]!["imagePullSecrets"] = expectedSecrets;
        Assert.True(JsonNode.DeepEquals(expectedPod, patched), $"patched Pod differs:\n{patched.ToJsonString()}");

        // Re-invocation (reinvocationPolicy: IfNeeded) on our own output adds nothing.
        var again = review.DeepClone().AsObject();
        again["request"]!["object"] = patched;
        var (_, secondAnswer) = await AdmissionClient.PostAsync(client, again);
        Assert.Null(AdmissionClient.Patch(secondAnswer));
    }

    [Fact]
    public async Task Mutate_PodWithExistingPullSecret_KeepsItFirstAndAppendsTarget()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();
        var review = Fixtures.Load(Path.Combine(Fixtures.AdmissionReviewDirectory, "pod-create-with-imagepullsecrets.json"));

        var (_, answer) = await AdmissionClient.PostAsync(client, review);

        var patch = AdmissionClient.Patch(answer)!;
        Assert.Equal("""[{"op":"add","path":"/spec/imagePullSecrets/-","value":{"name":"pullsecret-webhook"}}]""", patch.ToJsonString());
    }

    [Fact]
    public async Task Mutate_DryRunDeploymentFixture_IsAllowedWithoutPatch()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();
        var review = Fixtures.Load(Path.Combine(Fixtures.AdmissionReviewDirectory, "deployment-create-dryrun-true.kube-review.json"));

        var (_, answer) = await AdmissionClient.PostAsync(client, review);

        Assert.Equal("2024ee9c-c374-413c-838d-e62bcb4826be", (string?)answer["response"]!["uid"]);
        Assert.Null(AdmissionClient.Patch(answer));
    }
}

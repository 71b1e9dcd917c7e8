using System.Text.Json.Nodes;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Admission;

/// <summary>Each skip rule of the README's "What the webhook does", with the injecting side of each tested
/// too.</summary>
public sealed class SkipRuleTests
{
    public static TheoryData<string, JsonObject, bool> Cases() => new()
    {
        { "plain pod", Reviews.PodCreate(), true },
        { "pod opt-out label", Reviews.PodCreate(labels: new JsonObject { ["pullsecret-webhook.io/inject"] = "false" }), false },
        { "pod opt-out label, capitalised", Reviews.PodCreate(labels: new JsonObject { ["pullsecret-webhook.io/inject"] = "False" }), false },
        { "pod label inject=true", Reviews.PodCreate(labels: new JsonObject { ["pullsecret-webhook.io/inject"] = "true" }), true },
        { "pod label with other value", Reviews.PodCreate(labels: new JsonObject { ["pullsecret-webhook.io/inject"] = "no" }), true },
        { "kube-system", Reviews.PodCreate(ns: "kube-system"), false },
        { "kube-public", Reviews.PodCreate(ns: "kube-public"), false },
        { "kube-node-lease", Reviews.PodCreate(ns: "kube-node-lease"), false },
        { "own namespace", Reviews.PodCreate(ns: WebhookFactory.OwnNamespace), false },
        { "default", Reviews.PodCreate(ns: "default"), true },
        { "namespace that only looks similar", Reviews.PodCreate(ns: "kube-systems"), true },
        { "mirror pod", Reviews.PodCreate(annotations: new JsonObject { ["kubernetes.io/config.mirror"] = "abc" }), false },
        { "unrelated annotation", Reviews.PodCreate(annotations: new JsonObject { ["example.com/x"] = "abc" }), true },
        { "already references target", Reviews.PodCreate(includeImagePullSecrets: true, imagePullSecrets: new JsonArray(new JsonObject { ["name"] = "pullsecret-webhook" })), false },
        { "references target among others", Reviews.PodCreate(includeImagePullSecrets: true, imagePullSecrets: new JsonArray(new JsonObject { ["name"] = "a" }, new JsonObject { ["name"] = "pullsecret-webhook" })), false },
        { "references only other secrets", Reviews.PodCreate(includeImagePullSecrets: true, imagePullSecrets: new JsonArray(new JsonObject { ["name"] = "pullsecret-webhook-old" })), true },
        { "UPDATE", Reviews.PodCreate(operation: "UPDATE"), false },
        { "DELETE", Reviews.PodCreate(operation: "DELETE"), false },
        { "CONNECT", Reviews.PodCreate(operation: "CONNECT"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Mutate_SkipRule_PatchesOnlyWhenExpected(string name, JsonObject review, bool expectPatch)
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        var (status, answer) = await AdmissionClient.PostAsync(client, review);

        Assert.Equal(200, status);
        Assert.True((bool)answer["response"]!["allowed"]!, name);
        Assert.Equal(expectPatch, AdmissionClient.Patch(answer) is not null);
    }

    [Fact]
    public async Task Mutate_PodSubresource_IsNotPatched()
    {
        var review = Reviews.PodCreate();
        review["request"]!["subResource"] = "ephemeralcontainers";
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        var (_, answer) = await AdmissionClient.PostAsync(client, review);

        Assert.Null(AdmissionClient.Patch(answer));
    }

    [Theory]
    [InlineData("", "v1", "Secret")]
    [InlineData("apps", "v1", "Deployment")]
    [InlineData("example.com", "v1", "Pod")]
    public async Task Mutate_OtherKind_IsAllowedWithoutPatch(string group, string version, string kind)
    {
        var review = Reviews.PodCreate();
        review["request"]!["kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind };
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        var (_, answer) = await AdmissionClient.PostAsync(client, review);

        Assert.True((bool)answer["response"]!["allowed"]!);
        Assert.Null(AdmissionClient.Patch(answer));
    }

    [Fact]
    public async Task Mutate_ConfiguredExcludedNamespace_IsSkippedAndOthersStillInjected()
    {
        await using var factory = new WebhookFactory(new() { ["ExcludedNamespaces:0"] = "legacy", ["ExcludedNamespaces:1"] = "batch" });
        using var client = factory.CreateClient();

        var (_, excluded) = await AdmissionClient.PostAsync(client, Reviews.PodCreate(ns: "batch"));
        var (_, included) = await AdmissionClient.PostAsync(client, Reviews.PodCreate(ns: "team-a"));

        Assert.Null(AdmissionClient.Patch(excluded));
        Assert.NotNull(AdmissionClient.Patch(included));
    }

    [Fact]
    public async Task Mutate_CustomTargetName_IsInjectedAndRecognisedOnReinvocation()
    {
        await using var factory = new WebhookFactory(new() { ["Target:SecretName"] = "registry-creds" });
        using var client = factory.CreateClient();
        var review = Reviews.PodCreate();

        var (_, answer) = await AdmissionClient.PostAsync(client, review);
        var patched = JsonPatchApplier.Apply(review["request"]!["object"]!, AdmissionClient.Patch(answer)!);
        review["request"]!["object"] = patched;
        var (_, again) = await AdmissionClient.PostAsync(client, review);

        Assert.Equal("registry-creds", (string?)patched["spec"]!["imagePullSecrets"]![0]!["name"]);
        Assert.Null(AdmissionClient.Patch(again));
    }

    [Fact]
    public async Task Mutate_NamespaceOptedOutInCaches_IsSkipped_AndUnknownNamespaceStillInjected()
    {
        var facts = new StubFacts(new() { ["quiet"] = new NamespaceFacts(OptedOut: true, TargetSecretPresent: null) });
        await using var factory = new WebhookFactory(facts: facts);
        using var client = factory.CreateClient();

        var (_, optedOut) = await AdmissionClient.PostAsync(client, Reviews.PodCreate(ns: "quiet"));
        var (_, unknown) = await AdmissionClient.PostAsync(client, Reviews.PodCreate(ns: "team-a"));

        Assert.Null(AdmissionClient.Patch(optedOut));
        Assert.NotNull(AdmissionClient.Patch(unknown));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(null, false)]
    public async Task Mutate_TargetSecretPresence_WarnsOnlyWhenKnownMissing(bool? present, bool expectWarning)
    {
        var facts = new StubFacts(new() { ["team-a"] = new NamespaceFacts(OptedOut: false, TargetSecretPresent: present) });
        await using var factory = new WebhookFactory(facts: facts);
        using var client = factory.CreateClient();

        var (_, answer) = await AdmissionClient.PostAsync(client, Reviews.PodCreate(ns: "team-a"));

        Assert.NotNull(AdmissionClient.Patch(answer));
        var warnings = answer["response"]!["warnings"]?.AsArray();
        Assert.Equal(expectWarning, warnings is not null);
        if (expectWarning)
        {
            Assert.Contains("pullsecret-webhook", (string?)warnings![0]);
            Assert.Contains("team-a", (string?)warnings[0]);
        }
    }

    private sealed class StubFacts(Dictionary<string, NamespaceFacts> known) : INamespaceFactsSource
    {
        public NamespaceFacts Get(string namespaceName) => known.GetValueOrDefault(namespaceName);
    }
}

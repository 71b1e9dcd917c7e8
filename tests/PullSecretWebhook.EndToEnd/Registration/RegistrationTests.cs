using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Registration;

/// <summary>Self-registration against the real 1.20 API server, which does not know matchConditions and drops them on
/// write without an error, and whose namespaces have no kubernetes.io/metadata.name label.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class RegistrationTests(ControlPlaneFixture fixture, ITestOutputHelper output)
{
    private const string Configuration = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/pullsecret-webhook";

    [Fact]
    public async Task Registration_ByDefaultOnKubernetes120_LeavesMatchConditionsOutAndSaysWhy()
    {
        await using var scope = fixture.NewScope(output);
        var sources = await scope.CreateNamespaceAsync("src");

        var product = await scope.StartProductAsync(sources);

        var webhook = await Eventually.ValueAsync(async () => OurWebhook(await scope.Admin.GetAsync(Configuration)), "the webhook is registered", diagnostics: () => product.Process.Tail());
        Assert.Null(webhook["matchConditions"]);
        await Eventually.WaitUntilAsync(
            () => product.Process.Wrote("Kubernetes v1.20.2: registering without matchConditions (off by default before 1.28); namespaces carry no kubernetes.io/metadata.name label before 1.21"),
            "the start-up line names the server and what it lacks",
            diagnostics: () => product.Process.Tail());
    }

    [Fact]
    public async Task Registration_ForcedOnKubernetes120_NoticesTheDropOnce()
    {
        await using var scope = fixture.NewScope(output);
        var sources = await scope.CreateNamespaceAsync("src");

        var product = await scope.StartProductAsync(sources, new Dictionary<string, string> { ["Registration:MatchConditions"] = "true" });

        await Eventually.WaitUntilAsync(
            () => product.Process.Wrote("Kubernetes v1.20.2 dropped the matchConditions written to MutatingWebhookConfiguration pullsecret-webhook"),
            "the drop is noticed",
            diagnostics: () => product.Process.Tail());
        Assert.Null(OurWebhook(await scope.Admin.GetAsync(Configuration))!["matchConditions"]);
        Assert.Single(product.Process.Lines, l => l.Contains("dropped the matchConditions", StringComparison.Ordinal));
    }

    private static JsonObject? OurWebhook(JsonObject? configuration) =>
        configuration?["webhooks"]?.AsArray().OfType<JsonObject>().SingleOrDefault(w => (string?)w["name"] == "pullsecret-webhook.pullsecret-webhook.io" && w["clientConfig"]?["caBundle"] is not null);
}

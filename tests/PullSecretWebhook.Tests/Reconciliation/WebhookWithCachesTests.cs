using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>The webhook reads the reconciler's caches: namespace opt-out and the "not present yet" warning.</summary>
public sealed class WebhookWithCachesTests : IAsyncLifetime
{
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Mutate_InOptedOutNamespace_IsNotPatched_AndInOthersIs()
    {
        _cluster.CreateNamespace("quiet", new() { ["pullsecret-webhook.io/inject"] = "false" });
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        var server = _cluster.StartServer();
        using var client = server.CreateClient();
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        // The webhook reads the server's caches, which see the new target a watch event after the store does.
        await Eventually.WaitUntilAsync(
            async () => (await client.GetFromJsonAsync<JsonObject>(new Uri("/status", UriKind.Relative)))!["namespaces"]!.AsArray()
                .Any(n => (string?)n!["namespace"] == "team-a" && (string?)n["state"] == "UpToDate"),
            "the server's caches hold team-a's target");

        var (_, quiet) = await AdmissionClient.PostAsync(client, Reviews.PodCreate(ns: "quiet"));
        var (_, teamA) = await AdmissionClient.PostAsync(client, Reviews.PodCreate(ns: "team-a"));

        Assert.Null(AdmissionClient.Patch(quiet));
        Assert.NotNull(AdmissionClient.Patch(teamA));
        Assert.Null(teamA["response"]!["warnings"]);
    }

    [Fact]
    public async Task Mutate_WhenTargetNotPresentYet_InjectsWithAWarning()
    {
        _cluster.CreateNamespace("empty");
        var server = _cluster.StartServer();
        using var client = server.CreateClient();
        await Eventually.WaitUntilAsync(() => Status(client).Contains("\"synced\": true", StringComparison.Ordinal), "caches synced");

        var (_, answer) = await AdmissionClient.PostAsync(client, Reviews.PodCreate(ns: "empty"));

        Assert.NotNull(AdmissionClient.Patch(answer));
        Assert.Contains("not present in namespace \"empty\"", (string?)answer["response"]!["warnings"]![0], StringComparison.Ordinal);
    }

    private static string Status(HttpClient client) =>
        client.GetStringAsync(new Uri("/status", UriKind.Relative)).GetAwaiter().GetResult();
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>Pods admitted while the webhook was unreachable are found and reported, never touched.</summary>
public sealed class SlippedPodTests : IAsyncLifetime
{
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Scan_ReportsOnlyPodsWithoutTheReferenceWhoseImagesMatch_AndChangesNoPod()
    {
        var time = new FakeTimeProvider();
        _cluster.CreateNamespace("team-a");
        _cluster.CreateNamespace("quiet", new() { ["pullsecret-webhook.io/inject"] = "false" });
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        Pod("team-a", "slipped", "harbor.example.com/team/app:1");
        Pod("team-a", "injected", "harbor.example.com/team/app:1", reference: true);
        Pod("team-a", "public-image", "nginx:1.27");
        Pod("team-a", "opted-out", "harbor.example.com/team/app:1", optOut: true);
        Pod("quiet", "quiet-ns", "harbor.example.com/team/app:1");
        var server = _cluster.StartServer(new() { ["LeaderElection:Enabled"] = "false", ["SlippedPods:Interval"] = "00:00:30", ["SlippedPods:PageSize"] = "10" }, time: time);
        using var client = server.CreateClient();
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        Assert.Equal(0, _cluster.Fake.Requests.Count("list", "pods"));

        time.Advance(TimeSpan.FromSeconds(30));

        await Eventually.WaitUntilAsync(() => Slipped(client).Count > 0 || LastScan(client) is not null, "the scan ran");
        Assert.Equal(["team-a/slipped"], Slipped(client));
        await Eventually.WaitUntilAsync(
            () => _cluster.Fake.Store.List("v1", "events", "team-a").Any(e => (string?)e["reason"] == "MissingPullSecret" && (string?)e["involvedObject"]!["name"] == "slipped"),
            "an event on the slipped Pod");
        Assert.Contains("pullsecret_webhook_slipped_pods 1", await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Equal(0, _cluster.Fake.Requests.Writes.Count(w => w.Resource == "pods"));
    }

    private void Pod(string ns, string name, string image, bool reference = false, bool optOut = false)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = image }) };
        if (reference)
        {
            spec["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "pullsecret-webhook" });
        }

        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (optOut)
        {
            metadata["labels"] = new JsonObject { ["pullsecret-webhook.io/inject"] = "false" };
        }

        _cluster.Fake.Store.Create("v1", "pods", ns, new JsonObject { ["metadata"] = metadata, ["spec"] = spec });
    }

    private static List<string> Slipped(HttpClient client)
    {
        var status = client.GetFromJsonAsync<JsonObject>(new Uri("/status", UriKind.Relative)).GetAwaiter().GetResult()!;
        return [.. status["slippedPods"]!["pods"]!.AsArray().Select(p => $"{p!["namespace"]}/{p["pod"]}")];
    }

    private static string? LastScan(HttpClient client)
    {
        var status = client.GetFromJsonAsync<JsonObject>(new Uri("/status", UriKind.Relative)).GetAwaiter().GetResult()!;
        return (string?)status["slippedPods"]!["lastScan"];
    }
}

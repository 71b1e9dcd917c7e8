using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>The invalid-source rule (README, "When a source turns invalid"), both sides: a source that turns invalid
/// keeps its last good entries in the targets — also across a restart, read back from the targets — and is reported
/// in Events, <c>/status</c> and metrics; deleting or unexporting it removes them; a source invalid from its first
/// sight contributes nothing.</summary>
public sealed partial class InvalidSourceTests : IAsyncLifetime
{
    private const string Source = ReconcilerHarness.SourceNamespace;
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData("")]                        // a template that rendered nothing
    [InlineData("{broken")]                 // a template that rendered half
    [InlineData("""{"other":{}}""")]        // valid JSON without "auths"
    [InlineData("""{"auths":{"harbor.example.com":{"auth":"not base64!"}}}""")] // a raw password where base64 belongs
    public async Task SoleSource_TurningInvalid_KeepsItsLastGoodEntries_AndIsReportedEverywhere(string invalid)
    {
        _cluster.CreateNamespace("team-a");
        _cluster.CreateNamespace("team-b");
        _cluster.PutSource("vault", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "good")));
        var server = _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        await _cluster.WaitForRegistriesAsync("team-b", "harbor.example.com");
        await _cluster.WaitForRegistriesAsync("default", "harbor.example.com");
        var before = _cluster.GetSecret("team-a")!["data"]!.ToJsonString();

        _cluster.PutSource("vault", invalid);

        using var client = server.CreateClient();
        await Eventually.WaitUntilAsync(() => KeptEvent("vault") is not null, "an InvalidSource event saying the last good entries are kept");
        Assert.Contains("last good entries (harbor.example.com) are kept", KeptEvent("vault"), StringComparison.Ordinal);
        // /status reads the server's caches, which see the three targets a watch event after the store does.
        JsonObject source = null!;
        await Eventually.WaitUntilAsync(
            async () =>
            {
                var sources = (await client.GetFromJsonAsync<JsonObject>(new Uri("/status", UriKind.Relative)))!["sources"]!.AsArray();
                source = sources.Single(s => (string?)s!["source"] == $"{Source}/vault")!.AsObject();
                return (int)source["lastGoodKeptIn"]! == 3; // team-a, team-b, default
            },
            "/status counts the three targets that keep the last good entries");
        Assert.False((bool)source["usable"]!);
        var status = await client.GetFromJsonAsync<JsonObject>(new Uri("/status", UriKind.Relative));
        var teamA = status!["namespaces"]!.AsArray().Single(n => (string?)n!["namespace"] == "team-a")!;
        Assert.Equal("UpToDate", (string?)teamA["state"]);
        Assert.Equal($"{Source}/vault", (string?)teamA["keptLastGood"]![0]);
        Assert.Equal("1", Gauge(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative))));

        // The targets hold exactly what was last good; no target was deleted.
        Assert.Equal(before, _cluster.GetSecret("team-a")!["data"]!.ToJsonString());
        Assert.Equal(["harbor.example.com"], _cluster.TargetRegistries("team-b"));
        Assert.Equal(0, _cluster.Fake.Requests.Count(verb: "delete", resource: "secrets"));

        // Valid again: its new entries replace the kept ones.
        _cluster.PutSource("vault", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "rotated")));
        await Eventually.WaitUntilAsync(() => Password("team-a") == "rotated" && Password("team-b") == "rotated", "the valid source rotated the targets");
    }

    [Fact]
    public async Task InvalidSource_WhileOthersChange_StillContributesItsLastGood()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("vault", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "good")));
        _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");

        _cluster.PutSource("vault", "{broken");
        _cluster.PutSource("ghcr", ReconcilerHarness.DockerConfig(("ghcr.io", "bot", "pw")));

        await _cluster.WaitForRegistriesAsync("team-a", "ghcr.io", "harbor.example.com");
        Assert.Equal("good", Password("team-a"));
        Assert.Equal($"{Source}/ghcr,{Source}/vault", (string?)_cluster.GetSecret("team-a")!["metadata"]!["annotations"]!["pullsecret-webhook.io/sources"]);
    }

    [Fact]
    public async Task InvalidSource_AfterARestart_IsStillKept_ReadBackFromTheTargets()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("vault", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "good")));
        var first = _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        await first.DisposeAsync();

        // The source breaks while no server runs: the new process never saw it valid.
        _cluster.PutSource("vault", "{broken");
        _cluster.Fake.Requests.Clear();
        var second = _cluster.StartServer();

        await Eventually.WaitUntilAsync(() => KeptEvent("vault") is not null, "the restarted server reports the kept entries");
        using var client = second.CreateClient();
        await Eventually.WaitUntilAsync(
            () => NamespaceStatus(client, "team-a") is { } ns && (string?)ns["state"] == "UpToDate" && ns["keptLastGood"]!.AsArray().Count == 1,
            "team-a is up to date, keeping the last good entries");
        Assert.Equal("good", Password("team-a"));
        Assert.Equal(0, _cluster.Fake.Requests.Writes.Count(w => w.Resource == "secrets"));

        // Deleted now: the kept entries go, and the sole source's targets with them.
        _cluster.Fake.Store.Delete("v1", "secrets", Source, "vault");
        await _cluster.WaitForNoTargetAsync("team-a");
    }

    [Fact]
    public async Task InvalidSource_Deleted_RemovesItsEntries()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("vault", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "good")));
        _cluster.PutSource("ghcr", ReconcilerHarness.DockerConfig(("ghcr.io", "bot", "pw")));
        _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-a", "ghcr.io", "harbor.example.com");
        _cluster.PutSource("vault", "{broken");
        await Eventually.WaitUntilAsync(() => KeptEvent("vault") is not null, "the kept entries are reported");

        _cluster.Fake.Store.Delete("v1", "secrets", Source, "vault");

        await _cluster.WaitForRegistriesAsync("team-a", "ghcr.io");
    }

    [Fact]
    public async Task InvalidSource_Unexported_RemovesItsEntries()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("vault", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "good")));
        _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        _cluster.PutSource("vault", "{broken");
        await Eventually.WaitUntilAsync(() => KeptEvent("vault") is not null, "the kept entries are reported");

        var secret = _cluster.GetSecret(Source, "vault")!;
        secret["metadata"]!["labels"]!.AsObject().Remove("pullsecret-webhook.io/export");
        secret["metadata"]!.AsObject().Remove("resourceVersion");
        _cluster.Fake.Store.Update("v1", "secrets", Source, secret, validate: false);

        await _cluster.WaitForNoTargetAsync("team-a");
    }

    [Fact]
    public async Task InvalidSource_RecreatedWithANewUid_HasNoLastGood()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("vault", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "good")));
        _cluster.PutSource("ghcr", ReconcilerHarness.DockerConfig(("ghcr.io", "bot", "pw")));
        _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-a", "ghcr.io", "harbor.example.com");

        // Deleted and created again, broken, before the server could act on the deletion: another Secret.
        _cluster.Fake.Store.Delete("v1", "secrets", Source, "vault");
        _cluster.PutSource("vault", "{broken");

        await _cluster.WaitForRegistriesAsync("team-a", "ghcr.io");
    }

    [Fact]
    public async Task SourceInvalidFromItsFirstSight_ContributesNothing_AndIsReported()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("vault", "{broken");
        _cluster.PutSource("ghcr", ReconcilerHarness.DockerConfig(("ghcr.io", "bot", "pw")));
        var server = _cluster.StartServer();

        await _cluster.WaitForRegistriesAsync("team-a", "ghcr.io");
        await Eventually.WaitUntilAsync(
            () => Events().Any(e => (string?)e["reason"] == "InvalidSource" && ((string?)e["message"])!.StartsWith("Not exported", StringComparison.Ordinal)),
            "the invalid source is reported as not exported");
        Assert.Null(KeptEvent("vault"));
        using var client = server.CreateClient();
        Assert.Empty(NamespaceStatus(client, "team-a")!["keptLastGood"]!.AsArray());
        Assert.Equal("0", Gauge(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative))));
    }

    private static JsonObject? NamespaceStatus(HttpClient client, string ns)
    {
        var status = client.GetFromJsonAsync<JsonObject>(new Uri("/status", UriKind.Relative)).GetAwaiter().GetResult();
        return status!["namespaces"]!.AsArray().SingleOrDefault(n => (string?)n!["namespace"] == ns)?.AsObject();
    }

    private static string? Gauge(string metrics) => KeptGauge().Match(metrics) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"^pullsecret_webhook_sources_invalid_kept (\d+)$", RegexOptions.Multiline)]
    private static partial Regex KeptGauge();

    private string? KeptEvent(string source) =>
        Events().Where(e => (string?)e["reason"] == "InvalidSource" && (string?)e["involvedObject"]!["name"] == source)
            .Select(e => (string?)e["message"])
            .FirstOrDefault(m => m!.Contains("last good entries", StringComparison.Ordinal));

    private IReadOnlyList<JsonObject> Events() => _cluster.Fake.Store.List("v1", "events", Source);

    private string? Password(string ns)
    {
        var auth = (string?)_cluster.TargetConfig(ns)?["auths"]?["harbor.example.com"]?["auth"];
        return auth is null ? null : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(auth)).Split(':', 2)[1];
    }
}

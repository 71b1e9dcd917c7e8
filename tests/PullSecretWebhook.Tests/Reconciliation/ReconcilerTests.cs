using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>The README's "Exporting credentials" end to end: the server against the fake API server over
/// HTTPS.</summary>
public sealed class ReconcilerTests : IAsyncLifetime
{
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Namespace_CreatedLater_GetsTheMergedSecret()
    {
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw1")));
        _cluster.PutSource("ghcr", ReconcilerHarness.DockerConfig(("ghcr.io", "bot", "pw2")));
        _cluster.StartServer();

        _cluster.CreateNamespace("team-a");

        await _cluster.WaitForRegistriesAsync("team-a", "ghcr.io", "harbor.example.com");
        var target = _cluster.GetSecret("team-a")!;
        Assert.Equal("kubernetes.io/dockerconfigjson", (string?)target["type"]);
        Assert.Equal("pullsecret-webhook", (string?)target["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
        Assert.Equal($"{ReconcilerHarness.SourceNamespace}/ghcr,{ReconcilerHarness.SourceNamespace}/harbor", (string?)target["metadata"]!["annotations"]!["pullsecret-webhook.io/sources"]);
    }

    [Fact]
    public async Task Source_Rotated_UpdatesEveryTarget()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.CreateNamespace("team-b");
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "old")));
        _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-b", "harbor.example.com");

        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "new")));

        foreach (var ns in new[] { "team-a", "team-b", "default" })
        {
            await Eventually.WaitUntilAsync(() => Password(ns, "harbor.example.com") == "new", $"{ns} rotated");
        }
    }

    [Fact]
    public async Task Target_EditedOrDeleted_IsPutBack()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");

        var edited = _cluster.GetSecret("team-a")!;
        edited["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String("""{"auths":{"evil.example.com":{"auth":"dTpw"}}}"""u8) };
        _cluster.PutSecret("team-a", ReconcilerHarness.Target, edited);
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");

        _cluster.Fake.Store.Delete("v1", "secrets", "team-a", ReconcilerHarness.Target);
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
    }

    [Fact]
    public async Task Source_NarrowedOrDeleted_RemovesItsEntries()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.CreateNamespace("team-b");
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        _cluster.PutSource("ghcr", ReconcilerHarness.DockerConfig(("ghcr.io", "bot", "pw")));
        _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-b", "ghcr.io", "harbor.example.com");

        _cluster.PutSource("ghcr", ReconcilerHarness.DockerConfig(("ghcr.io", "bot", "pw")), annotations: new() { ["pullsecret-webhook.io/to-namespaces"] = "team-a" });
        await _cluster.WaitForRegistriesAsync("team-b", "harbor.example.com");
        await _cluster.WaitForRegistriesAsync("team-a", "ghcr.io", "harbor.example.com");

        _cluster.Fake.Store.Delete("v1", "secrets", ReconcilerHarness.SourceNamespace, "harbor");
        await _cluster.WaitForRegistriesAsync("team-a", "ghcr.io");
        // No sources left for team-b: the managed Secret goes.
        await _cluster.WaitForNoTargetAsync("team-b");
    }

    [Fact]
    public async Task Namespace_OptedOutOrDeselected_LosesTheManagedSecret()
    {
        _cluster.CreateNamespace("team-a", new() { ["env"] = "prod" });
        _cluster.CreateNamespace("team-b", new() { ["env"] = "prod" });
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")), annotations: new() { ["pullsecret-webhook.io/to-namespace-selector"] = "env=prod" });
        _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        await _cluster.WaitForRegistriesAsync("team-b", "harbor.example.com");

        _cluster.LabelNamespace("team-a", new() { ["env"] = "prod", ["pullsecret-webhook.io/inject"] = "false" });
        _cluster.LabelNamespace("team-b", new() { ["env"] = "dev" });

        await _cluster.WaitForNoTargetAsync("team-a");
        await _cluster.WaitForNoTargetAsync("team-b");
    }

    [Fact]
    public async Task ExportScope_NamesGlobsAndSelectors_AllMustMatch()
    {
        _cluster.CreateNamespace("team-a", new() { ["env"] = "prod" });
        _cluster.CreateNamespace("team-b", new() { ["env"] = "stage" });
        _cluster.CreateNamespace("shop", new() { ["env"] = "prod" });
        _cluster.CreateNamespace("team-c", new() { ["env"] = "prod", ["legacy"] = "yes" });
        _cluster.PutSource("teams", ReconcilerHarness.DockerConfig(("teams.example.com", "u", "p")), annotations: new()
        {
            ["pullsecret-webhook.io/to-namespaces"] = "team-*",
            ["pullsecret-webhook.io/to-namespace-selector"] = "env in (prod,stage),!legacy",
        });
        _cluster.PutSource("shop", ReconcilerHarness.DockerConfig(("shop.example.com", "u", "p")), annotations: new() { ["pullsecret-webhook.io/to-namespaces"] = "shop" });
        _cluster.PutSource("everyone", ReconcilerHarness.DockerConfig(("all.example.com", "u", "p")));
        _cluster.StartServer();

        await _cluster.WaitForRegistriesAsync("team-a", "all.example.com", "teams.example.com");
        await _cluster.WaitForRegistriesAsync("team-b", "all.example.com", "teams.example.com");
        await _cluster.WaitForRegistriesAsync("shop", "all.example.com", "shop.example.com");
        await _cluster.WaitForRegistriesAsync("team-c", "all.example.com");
    }

    [Fact]
    public async Task ExportedSecretOutsideSourceNamespaces_ChangesNothing_AndIsReported()
    {
        _cluster.CreateNamespace("tenant");
        _cluster.CreateNamespace("victim");
        _cluster.PutSource("legit", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        _cluster.PutSource("sneaky", ReconcilerHarness.DockerConfig(("harbor.example.com", "attacker", "pw"), ("evil.example.com", "a", "b")), ns: "tenant");
        var server = _cluster.StartServer();

        await _cluster.WaitForRegistriesAsync("victim", "harbor.example.com");
        Assert.Equal("robot", Username("victim", "harbor.example.com"));
        await Eventually.WaitUntilAsync(() => Events("tenant").Any(e => (string?)e["reason"] == "NotASourceNamespace"), "the tenant's Secret gets an event");
        using var client = server.CreateClient();
        var status = await client.GetFromJsonAsync<JsonObject>("/status");
        var sneaky = status!["sources"]!.AsArray().Single(s => (string?)s!["source"] == "tenant/sneaky")!;
        Assert.False((bool)sneaky["usable"]!);
    }

    [Fact]
    public async Task Collision_FirstSourceByNameWins_AndLoserGetsAnEvent()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("b-second", ReconcilerHarness.DockerConfig(("registry.example.com", "second", "p2"), ("only-b.example.com", "b", "p")));
        _cluster.PutSource("a-first", ReconcilerHarness.DockerConfig(("registry.example.com", "first", "p1")));
        _cluster.StartServer();

        await _cluster.WaitForRegistriesAsync("team-a", "only-b.example.com", "registry.example.com");
        Assert.Equal("first", Username("team-a", "registry.example.com"));
        await Eventually.WaitUntilAsync(
            () => Events(ReconcilerHarness.SourceNamespace).Any(e => (string?)e["reason"] == "RegistryCollision" && (string?)e["involvedObject"]!["name"] == "b-second"),
            "the losing source gets a collision event");
    }

    [Fact]
    public async Task InvalidSource_IsSkippedAndReported_OthersStillApply()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("good", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        _cluster.PutSource("bad-base64", """{"auths":{"bad.example.com":{"auth":"not base64!"}}}""");
        _cluster.PutSource("bad-json", "{not json");
        _cluster.PutSource("legacy", """{"legacy.example.com":{"auth":"dTpw"}}""", type: "kubernetes.io/dockercfg", key: ".dockercfg");
        _cluster.StartServer();

        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com", "legacy.example.com");
        await Eventually.WaitUntilAsync(
            () => Events(ReconcilerHarness.SourceNamespace).Count(e => (string?)e["reason"] == "InvalidSource") >= 2,
            "both invalid sources get an event");
        var messages = string.Join("\n", Events(ReconcilerHarness.SourceNamespace).Select(e => (string?)e["message"]));
        Assert.Contains("not valid base64", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", messages, StringComparison.Ordinal);
    }

    private string? Password(string ns, string registry) => Credential(ns, registry)?.Password;

    private string? Username(string ns, string registry) => Credential(ns, registry)?.User;

    private (string User, string Password)? Credential(string ns, string registry)
    {
        var auth = (string?)_cluster.TargetConfig(ns)?["auths"]?[registry]?["auth"];
        if (auth is null)
        {
            return null;
        }

        var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(auth));
        return (text[..text.IndexOf(':', StringComparison.Ordinal)], text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..]);
    }

    private IReadOnlyList<JsonObject> Events(string ns) => _cluster.Fake.Store.List("v1", "events", ns);
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>The safety-critical rule, both sides: a Secret named like the target that is not ours is never written;
/// ours is kept correct; the adopt annotation is the only hand-over.</summary>
public sealed class OwnershipTests : IAsyncLifetime
{
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task UnmanagedSecretWithTargetName_IsNeverWritten_AndReportedAsConflict()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.CreateNamespace("team-b");
        var theirs = _cluster.PutSecret("team-a", ReconcilerHarness.Target, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = ReconcilerHarness.Target, ["namespace"] = "team-a", ["labels"] = new JsonObject { ["owner"] = "someone-else" } },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { ["token"] = Convert.ToBase64String("theirs"u8) },
        });
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        var server = _cluster.StartServer();

        await _cluster.WaitForRegistriesAsync("team-b", "harbor.example.com");
        await Eventually.WaitUntilAsync(
            () => _cluster.Fake.Store.List("v1", "events", "team-a").Any(e => (string?)e["reason"] == "TargetConflict"),
            "a conflict event on their Secret");
        using var client = server.CreateClient();
        var status = await client.GetFromJsonAsync<JsonObject>("/status");
        var teamA = status!["namespaces"]!.AsArray().Single(n => (string?)n!["namespace"] == "team-a")!;

        Assert.Equal("Conflict", (string?)teamA["state"]);
        Assert.Equal(0, WritesTo("team-a"));
        var now = _cluster.GetSecret("team-a")!;
        Assert.Equal((string?)theirs["metadata"]!["resourceVersion"], (string?)now["metadata"]!["resourceVersion"]);
        Assert.Equal("Opaque", (string?)now["type"]);
    }

    [Fact]
    public async Task UnmanagedSecretInNamespaceWithoutSources_IsNotDeleted()
    {
        _cluster.CreateNamespace("team-a", new() { ["pullsecret-webhook.io/inject"] = "false" });
        _cluster.PutSecret("team-a", ReconcilerHarness.Target, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = ReconcilerHarness.Target, ["namespace"] = "team-a" },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String("""{"auths":{}}"""u8) },
        });
        _cluster.CreateNamespace("team-b");
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        _cluster.StartServer();

        // Once team-b has converged, team-a (opted out, so its target would be deleted if it were ours) was seen too.
        await _cluster.WaitForRegistriesAsync("team-b", "harbor.example.com");

        Assert.NotNull(_cluster.GetSecret("team-a"));
        Assert.Equal(0, WritesTo("team-a"));
    }

    [Fact]
    public async Task UnmanagedSecretAnnotatedAdopt_IsTakenOverInPlace()
    {
        _cluster.CreateNamespace("team-a");
        var theirs = _cluster.PutSecret("team-a", ReconcilerHarness.Target, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = ReconcilerHarness.Target,
                ["namespace"] = "team-a",
                ["annotations"] = new JsonObject { ["pullsecret-webhook.io/adopt"] = "true" },
                ["labels"] = new JsonObject { ["team"] = "a" },

                // Fields of a newer API (or another tool's) that KubernetesClient's V1Secret does not know.
                ["futureMetadataField"] = "kept",
            },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String("""{"auths":{"old.example.com":{"auth":"dTpw"}}}"""u8) },
            ["futureField"] = new JsonObject { ["kept"] = true },
        });
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        _cluster.StartServer();

        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");

        var adopted = _cluster.GetSecret("team-a")!;
        Assert.Equal((string?)theirs["metadata"]!["uid"], (string?)adopted["metadata"]!["uid"]); // updated in place, not re-created
        Assert.Equal("pullsecret-webhook", (string?)adopted["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
        Assert.Equal("a", (string?)adopted["metadata"]!["labels"]!["team"]);
        Assert.Equal("kept", (string?)adopted["metadata"]!["futureMetadataField"]);
        Assert.True((bool)adopted["futureField"]!["kept"]!);
        Assert.All(_cluster.Fake.Requests.Writes.Where(w => w.Resource == "secrets" && w.Namespace == "team-a"), w => Assert.Equal("patch", w.Verb));
    }

    [Fact]
    public async Task ManagedSecretEditedByHand_IsUpdatedInPlaceKeepingOthersLabels()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        var created = _cluster.GetSecret("team-a")!;

        var edited = created.DeepClone().AsObject();
        edited["metadata"]!["labels"]!["audit"] = "seen";
        edited["data"]![".dockerconfigjson"] = Convert.ToBase64String("""{"auths":{}}"""u8);
        _cluster.PutSecret("team-a", ReconcilerHarness.Target, edited);
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");

        var restored = _cluster.GetSecret("team-a")!;
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)restored["metadata"]!["uid"]);
        Assert.Equal("seen", (string?)restored["metadata"]!["labels"]!["audit"]);
        Assert.Equal(0, _cluster.Fake.Requests.Count("delete", "secrets", "team-a"));
    }

    private int WritesTo(string ns) =>
        _cluster.Fake.Requests.Writes.Count(w => w.Resource == "secrets" && w.Namespace == ns && w.Name == ReconcilerHarness.Target);
}

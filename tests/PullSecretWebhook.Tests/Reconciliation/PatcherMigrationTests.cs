using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>The hand-over from titansoft's imagepullsecret-patcher (README, "Coming from imagepullsecret-patcher"),
/// from the cluster state the patcher leaves: its Secret <c>image-pull-secret</c> in each namespace, annotated
/// <c>app.kubernetes.io/managed-by: imagepullsecret-patcher</c>, the <c>default</c> ServiceAccounts patched to
/// reference it, and namespaces it skipped annotated <c>k8s.titansoft.com/imagepullsecret-patcher-exclude: "true"</c>.
/// Both sides of the adoption rule: adopted in place only when <c>Target:AdoptAnnotated</c> names the marker; never a
/// Secret without it.</summary>
public sealed class PatcherMigrationTests : IAsyncLifetime
{
    private const string PatcherSecret = "image-pull-secret";
    private const string PatcherMarker = "app.kubernetes.io/managed-by";
    private const string PatcherExclude = "k8s.titansoft.com/imagepullsecret-patcher-exclude";
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task PatcherState_WithTheMarkerSetting_IsTakenOverInPlace_AndNothingElseIsTouched()
    {
        var before = LeavePatcherState();

        _cluster.StartServer(new()
        {
            ["Target:SecretName"] = PatcherSecret,
            ["Target:AdoptAnnotated"] = $"{PatcherMarker}=imagepullsecret-patcher",
            ["ExcludedNamespaceAnnotations:0"] = $"{PatcherExclude}=true",
        });

        foreach (var ns in new[] { "team-a", "team-b" })
        {
            await Eventually.WaitUntilAsync(() => (string?)Get(ns, PatcherSecret)?["metadata"]?["labels"]?["app.kubernetes.io/managed-by"] == "pullsecret-webhook", $"{ns}'s Secret is taken over");
            var adopted = Get(ns, PatcherSecret)!;
            Assert.Equal(before[ns], (string?)adopted["metadata"]!["uid"]); // the same object: updated in place
            Assert.Null(adopted["metadata"]!["annotations"]![PatcherMarker]); // no longer claims to be the patcher's
            Assert.Equal(["harbor.example.com"], Registries(adopted));
        }

        // A new namespace gets the Secret under the patcher's name, which its patched ServiceAccounts reference.
        _cluster.CreateNamespace("team-new");
        await Eventually.WaitUntilAsync(() => Get("team-new", PatcherSecret) is not null, "a new namespace gets the Secret");

        // Never a moment without a Secret: no delete, and no create where the patcher's Secret was.
        var secretWrites = _cluster.Fake.Requests.Writes.Where(w => w.Resource == "secrets").ToList();
        Assert.DoesNotContain(secretWrites, w => w.Verb == "delete");
        Assert.DoesNotContain(secretWrites, w => w.Verb == "create" && w.Namespace is "team-a" or "team-b");
        // Nothing unrelated touched: someone's own Secret of the same name, their other Secrets, the ServiceAccounts,
        // and the namespace the patcher was told to skip.
        Assert.DoesNotContain(secretWrites, w => w.Namespace is "team-c" or "skipped" || w.Name == "their-own");
        Assert.Equal(0, _cluster.Fake.Requests.Count(resource: "serviceaccounts", verb: "patch") + _cluster.Fake.Requests.Count(resource: "serviceaccounts", verb: "update"));
        Assert.Equal(PatcherSecret, (string?)Get("team-a", "default", "serviceaccounts")!["imagePullSecrets"]![0]!["name"]);
        Assert.Null(Get("skipped", PatcherSecret));
    }

    [Fact]
    public async Task PatcherState_WithoutTheMarkerSetting_IsNeverTouched()
    {
        LeavePatcherState();

        _cluster.StartServer(new() { ["Target:SecretName"] = PatcherSecret });

        await Eventually.WaitUntilAsync(
            () => _cluster.Fake.Store.List("v1", "events", "team-a").Any(e => (string?)e["reason"] == "TargetConflict"),
            "the patcher's Secret is reported as a conflict");
        Assert.DoesNotContain(_cluster.Fake.Requests.Writes, w => w.Resource == "secrets" && w.Namespace is "team-a" or "team-b" or "team-c");
        Assert.Equal("imagepullsecret-patcher", (string?)Get("team-a", PatcherSecret)!["metadata"]!["annotations"]![PatcherMarker]);
    }

    [Fact]
    public async Task ExcludedNamespaceAnnotation_ExcludesTheNamespace_OnlyWhenAsked()
    {
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        CreateNamespace("skipped", new() { [PatcherExclude] = "true" });
        CreateNamespace("not-skipped", new() { [PatcherExclude] = "false" });
        var server = _cluster.StartServer(new() { ["ExcludedNamespaceAnnotations:0"] = $"{PatcherExclude}=true" });

        await _cluster.WaitForRegistriesAsync("not-skipped", "harbor.example.com");
        using var client = server.CreateClient();
        var status = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonObject>(client, new Uri("/status", UriKind.Relative));
        Assert.Equal("Excluded", (string?)status!["namespaces"]!.AsArray().Single(n => (string?)n!["namespace"] == "skipped")!["reason"]);
        Assert.Null(_cluster.GetSecret("skipped"));
    }

    [Fact]
    public async Task ExcludedNamespaceAnnotation_Malformed_StopsStartUpNamingTheSetting()
    {
        // The real process: a WebApplicationFactory host that fails to start sometimes reports ObjectDisposedException
        // instead of the validation error when the machine is loaded.
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(["--ExcludedNamespaceAnnotations:0=no-value-here", "--urls=https://127.0.0.1:0"], deadline: TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains("ExcludedNamespaceAnnotations:0", StringComparison.Ordinal), output);
    }

    /// <summary>What the patcher leaves, seeded straight into the store; returns the uid of each patcher Secret.</summary>
    private Dictionary<string, string> LeavePatcherState()
    {
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        var uids = new Dictionary<string, string>();
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            CreateNamespace(ns);
            uids[ns] = (string)PutSecret(ns, PatcherSecret, new() { [PatcherMarker] = "imagepullsecret-patcher" }, ("old.example.com", "patcher", "pw"))["metadata"]!["uid"]!;
            PutSecret(ns, "their-own", null, ("theirs.example.com", "t", "pw"));
            // The patcher's strategic-merge patch of the default ServiceAccount (the fake makes the account itself).
            var account = Get(ns, "default", "serviceaccounts")!;
            account["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = PatcherSecret });
            account["metadata"]!.AsObject().Remove("resourceVersion");
            _cluster.Fake.Store.Update("v1", "serviceaccounts", ns, account);
        }

        // A namespace where someone made their own Secret of that name, without the patcher's marker.
        CreateNamespace("team-c");
        PutSecret("team-c", PatcherSecret, null, ("mine.example.com", "me", "pw"));
        CreateNamespace("skipped", new() { [PatcherExclude] = "true" });
        return uids;
    }

    private void CreateNamespace(string name, Dictionary<string, string>? annotations = null)
    {
        var ns = _cluster.CreateNamespace(name);
        if (annotations is not null)
        {
            ns["metadata"]!["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
            ns["metadata"]!.AsObject().Remove("resourceVersion");
            _cluster.Fake.Store.Update("v1", "namespaces", null, ns);
        }
    }

    private JsonObject PutSecret(string ns, string name, Dictionary<string, string>? annotations, params (string Registry, string User, string Password)[] entries)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (annotations is not null)
        {
            metadata["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        }

        return _cluster.PutSecret(ns, name, new JsonObject
        {
            ["metadata"] = metadata,
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(ReconcilerHarness.DockerConfig(entries))) },
        });
    }

    private JsonObject? Get(string ns, string name, string resource = "secrets") => _cluster.Fake.Store.Get("v1", resource, ns, name);

    private static List<string> Registries(JsonObject secret) =>
        [.. JsonNode.Parse(Convert.FromBase64String((string)secret["data"]![".dockerconfigjson"]!))!["auths"]!.AsObject().Select(a => a.Key)];
}

using System.Net;
using FakeKubeApiServer;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Deploy;

/// <summary>The RBAC of <c>deploy/</c> is enough, and no more than enough: the server runs as its service account
/// against a fake API server that enforces exactly the Roles rendered from the overlay.</summary>
public sealed class RbacTests : IAsyncLifetime
{
    private const string OwnNamespace = "pullsecret-webhook";
    private const string Token = "pullsecret-webhook-sa-token";
    private readonly string _manifests = Path.Combine(Path.GetTempPath(), $"psw-rbac-{Guid.NewGuid():N}.yaml");
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync()
    {
        // The default install plus the optional ServiceAccount fallback: the one test below runs without the fallback
        // and proves the default needs nothing more, the other with it.
        await File.WriteAllTextAsync(_manifests, await RepositoryFiles.KustomizeWithComponentsAsync("deploy/overlays/self-managed", "deploy/components/serviceaccount-fallback"));
        var options = new FakeApiServerOptions();
        options.RbacYamlFiles.Add(_manifests);
        options.Tokens[Token] = $"system:serviceaccount:{OwnNamespace}:pullsecret-webhook";
        _cluster = await ReconcilerHarness.StartAsync(options);
        _cluster.CreateNamespace(OwnNamespace);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        File.Delete(_manifests);
    }

    [Fact]
    public async Task ServiceAccount_WithDeployRbac_ConvergesWithoutAForbiddenCall()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.CreateNamespace("team-b");
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")), ns: OwnNamespace);
        _cluster.PutSource("broken", "{not json", ns: OwnNamespace); // reported with an Event: events create
        _cluster.StartServer(new() { ["POD_NAMESPACE"] = OwnNamespace, ["Tls:Mode"] = "SelfManaged", ["Registration:Enabled"] = "true" }, token: Token);

        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        await Eventually.WaitUntilAsync(() => _cluster.Fake.Store.Get("admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations", null, "pullsecret-webhook")?["webhooks"]?[0]?["clientConfig"]?["caBundle"] is not null, "the webhook is registered");
        await Eventually.WaitUntilAsync(() => _cluster.Fake.Store.Get("coordination.k8s.io/v1", "leases", OwnNamespace, "pullsecret-webhook") is not null, "the lease is taken");
        await Eventually.WaitUntilAsync(() => _cluster.Fake.Store.List("v1", "events", OwnNamespace).Count > 0, "the broken source is reported");
        Assert.NotNull(_cluster.Fake.Store.Get("v1", "secrets", OwnNamespace, "pullsecret-webhook-tls"));

        // Updates and deletes of targets.
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw"), ("ghcr.io", "bot", "pw")), ns: OwnNamespace);
        await _cluster.WaitForRegistriesAsync("team-b", "ghcr.io", "harbor.example.com");
        _cluster.Fake.Store.Delete("v1", "secrets", OwnNamespace, "harbor");
        await _cluster.WaitForNoTargetAsync("team-a");

        var forbidden = _cluster.Fake.Requests.Snapshot().Where(e => e.Status == (int)HttpStatusCode.Forbidden).ToList();
        Assert.True(forbidden.Count == 0, string.Join("\n", forbidden));
        Assert.Contains(_cluster.Fake.Requests.Snapshot(), e => e.User == $"system:serviceaccount:{OwnNamespace}:pullsecret-webhook" && e.Verb == "patch" && e.Resource == "secrets");

        Assert.DoesNotContain(_cluster.Fake.Requests.Snapshot(), e => e.Resource == "serviceaccounts");

        // The check above can fail: a call outside the Roles is a 403 in the same log.
        using var client = _cluster.Fake.CreateHttpClient(Token);
        using var response = await client.GetAsync(new Uri("/api/v1/namespaces/kube-system/configmaps", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(_cluster.Fake.Requests.Snapshot(), e => e.Status == (int)HttpStatusCode.Forbidden && e.Resource == "configmaps");
    }

    [Fact]
    public async Task ServiceAccountFallback_WithItsComponent_PatchesWithoutAForbiddenCall()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")), ns: OwnNamespace);
        _cluster.StartServer(new() { ["POD_NAMESPACE"] = OwnNamespace, ["Tls:Mode"] = "SelfManaged", ["Registration:Enabled"] = "true", ["ServiceAccounts:Mode"] = "Default" }, token: Token);

        await Eventually.WaitUntilAsync(
            () => _cluster.Fake.Store.Get("v1", "serviceaccounts", "team-a", "default")?["imagePullSecrets"]?.AsArray().Any(r => (string?)r!["name"] == "pullsecret-webhook") == true,
            "the default ServiceAccount references the target");

        var forbidden = _cluster.Fake.Requests.Snapshot().Where(e => e.Status == (int)HttpStatusCode.Forbidden).ToList();
        Assert.True(forbidden.Count == 0, string.Join("\n", forbidden));
    }
}

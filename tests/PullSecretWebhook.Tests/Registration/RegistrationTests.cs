using System.Text.Json.Nodes;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Registration;

/// <summary>Self-registration of the MutatingWebhookConfiguration against the fake API server.</summary>
public sealed class RegistrationTests : IAsyncLifetime
{
    private const string Mwc = "admissionregistration.k8s.io/v1";
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Start_WithoutConfiguration_CreatesItWithExactlyTheseFields()
    {
        _cluster.StartServer(InstallHarness.SelfManaged());

        await Eventually.WaitUntilAsync(() => _cluster.CaBundle() is not null, "the configuration is registered with a caBundle");
        var configuration = _cluster.WebhookConfiguration()!;
        Assert.Equal("pullsecret-webhook", (string?)configuration["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
        var webhook = _cluster.OurWebhook()!;
        Assert.Equal(_cluster.SecretValue("ca.crt"), (string?)webhook["clientConfig"]!["caBundle"]);
        webhook["clientConfig"]!.AsObject().Remove("caBundle");
        var expected = JsonNode.Parse("""
            {
              "name": "pullsecret-webhook.pullsecret-webhook.io",
              "clientConfig": { "service": { "name": "pullsecret-webhook", "namespace": "psw-system", "path": "/mutate", "port": 443 } },
              "rules": [ { "operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"], "scope": "Namespaced" } ],
              "namespaceSelector": { "matchExpressions": [
                { "key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ["kube-node-lease", "kube-public", "kube-system", "psw-system"] },
                { "key": "pullsecret-webhook.io/inject", "operator": "NotIn", "values": ["false"] } ] },
              "objectSelector": { "matchExpressions": [ { "key": "pullsecret-webhook.io/inject", "operator": "NotIn", "values": ["false"] } ] },
              "matchConditions": [
                { "name": "not-mirror-pod", "expression": "!has(object.metadata.annotations) || !('kubernetes.io/config.mirror' in object.metadata.annotations)" },
                { "name": "not-already-referenced", "expression": "!has(object.spec.imagePullSecrets) || !object.spec.imagePullSecrets.exists(s, has(s.name) \u0026\u0026 s.name == 'pullsecret-webhook')" } ],
              "sideEffects": "None",
              "failurePolicy": "Ignore",
              "timeoutSeconds": 2,
              "admissionReviewVersions": ["v1"],
              "matchPolicy": "Equivalent",
              "reinvocationPolicy": "IfNeeded"
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, webhook), webhook.ToJsonString());
    }

    [Fact]
    public async Task Start_WithMatchConditionsOff_LeavesThemOut()
    {
        _cluster.StartServer(InstallHarness.SelfManaged(new() { ["Registration:MatchConditions"] = "false", ["Registration:TimeoutSeconds"] = "5" }));

        await Eventually.WaitUntilAsync(() => _cluster.CaBundle() is not null, "the configuration is registered");
        Assert.Null(_cluster.OurWebhook()!["matchConditions"]);
        Assert.Equal(5, (int)_cluster.OurWebhook()!["timeoutSeconds"]!);
    }

    [Fact]
    public async Task Update_KeepsWhatOtherToolsAdded()
    {
        _cluster.Fake.Store.Create(Mwc, "mutatingwebhookconfigurations", null, JsonNode.Parse("""
            {
              "metadata": { "name": "pullsecret-webhook", "labels": { "team": "platform" }, "annotations": { "example.com/owner": "ops" } },
              "webhooks": [
                { "name": "other.example.com", "clientConfig": { "url": "https://other.example.com/hook" }, "sideEffects": "None", "admissionReviewVersions": ["v1"], "otherFuture": 1 },
                { "name": "pullsecret-webhook.pullsecret-webhook.io", "clientConfig": { "service": { "name": "old", "namespace": "psw-system", "futureServiceField": "kept" } },
                  "sideEffects": "None", "admissionReviewVersions": ["v1"], "timeoutSeconds": 10, "futureField": { "kept": true } }
              ],
              "futureTopLevel": "kept"
            }
            """)!.AsObject());
        _cluster.StartServer(InstallHarness.SelfManaged());

        await Eventually.WaitUntilAsync(() => (int?)_cluster.OurWebhook()?["timeoutSeconds"] == 2, "our webhook is updated");
        var configuration = _cluster.WebhookConfiguration()!;
        Assert.Equal("platform", (string?)configuration["metadata"]!["labels"]!["team"]);
        Assert.Equal("pullsecret-webhook", (string?)configuration["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
        Assert.Equal("ops", (string?)configuration["metadata"]!["annotations"]!["example.com/owner"]);
        Assert.Equal("https://other.example.com/hook", (string?)configuration["webhooks"]![0]!["clientConfig"]!["url"]);
        Assert.True((bool)_cluster.OurWebhook()!["futureField"]!["kept"]!);
        Assert.Equal("kept", (string?)_cluster.OurWebhook()!["clientConfig"]!["service"]!["futureServiceField"]);
        Assert.Equal(1, (int?)configuration["webhooks"]![0]!["otherFuture"]);
        Assert.Equal("kept", (string?)configuration["futureTopLevel"]);
        Assert.Equal(1, _cluster.Fake.Requests.Count("patch", "mutatingwebhookconfigurations"));
        Assert.Equal(0, _cluster.Fake.Requests.Count("update", "mutatingwebhookconfigurations"));
        Assert.Equal("pullsecret-webhook", (string?)_cluster.OurWebhook()!["clientConfig"]!["service"]!["name"]);
        Assert.Equal(_cluster.SecretValue("ca.crt"), _cluster.CaBundle());
    }

    [Fact]
    public async Task Restart_WithConfigurationUpToDate_WritesNothing()
    {
        await using (var first = _cluster.StartServer(InstallHarness.SelfManaged()))
        {
            await Eventually.WaitUntilAsync(() => _cluster.CaBundle() is not null, "the configuration is registered");
        }

        _cluster.Fake.Requests.Clear();
        var second = _cluster.StartServer(InstallHarness.SelfManaged());

        await Eventually.WaitUntilAsync(() => _cluster.Fake.Requests.Count("get", "mutatingwebhookconfigurations") > 0 && second.ServedThumbprint() is not null, "the second server checked the configuration");
        Assert.Equal(0, _cluster.Fake.Requests.Count("patch", "mutatingwebhookconfigurations") + _cluster.Fake.Requests.Count("update", "mutatingwebhookconfigurations") + _cluster.Fake.Requests.Count("create", "mutatingwebhookconfigurations"));
    }

    [Fact]
    public async Task Deleted_WhileRunning_IsNotRecreated()
    {
        var server = _cluster.StartServer(InstallHarness.SelfManaged());
        await Eventually.WaitUntilAsync(() => _cluster.CaBundle() is not null, "the configuration is registered");

        _cluster.Fake.Store.Delete(Mwc, "mutatingwebhookconfigurations", null, InstallHarness.Configuration);
        // A rotation by another replica makes this server register again: that is when it would re-create.
        var rotated = TlsSecretMaterial.Create(InstallHarness.ServiceNames, new TlsOptions(), DateTimeOffset.UtcNow);
        _cluster.PutTlsMaterial(rotated);

        await Eventually.WaitUntilAsync(() => server.ServedThumbprint() == rotated.Leaf.Thumbprint, "the server serves the rotated certificate");
        await Eventually.WaitUntilAsync(
            () => _cluster.Fake.Requests.Snapshot().Any(e => e.Verb == "get" && e.Resource == "mutatingwebhookconfigurations" && e.Status == 404),
            "the server looked for the configuration after the rotation");
        Assert.Null(_cluster.WebhookConfiguration());
        Assert.Equal(1, _cluster.Fake.Requests.Count("create", "mutatingwebhookconfigurations"));
    }

    [Fact]
    public async Task CertificateRotation_UpdatesCaBundle_BeforeServingTheNewCertificate()
    {
        var server = _cluster.StartServer(InstallHarness.SelfManaged());
        await Eventually.WaitUntilAsync(() => _cluster.CaBundle() is not null, "the configuration is registered");
        var before = _cluster.CaBundle();

        var rotated = TlsSecretMaterial.Create(InstallHarness.ServiceNames, new TlsOptions(), DateTimeOffset.UtcNow);
        _cluster.PutTlsMaterial(rotated);

        await Eventually.WaitUntilAsync(() => server.ServedThumbprint() == rotated.Leaf.Thumbprint, "the server serves the rotated certificate");
        // Registration ran before the new certificate was served, so the bundle is already the new one.
        Assert.NotEqual(before, _cluster.CaBundle());
        Assert.Equal(Convert.ToBase64String(rotated.CaBundlePem), _cluster.CaBundle());
    }
}

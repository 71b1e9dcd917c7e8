using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Tests.Kube.Support;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>Every verb the product uses, through its client (KubernetesClient over the product's handlers), against the
/// fake API server over HTTPS.</summary>
public sealed class KubeClientVerbTests : IAsyncLifetime
{
    private KubeTestCluster _cluster = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeTestCluster.StartAsync();
        _client = _cluster.CreateClient();
        await _client.CreateNamespaceAsync("team-a");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Create_ThenRead_RoundTripsSecretData()
    {
        var created = await _client.CreateSecretAsync(TestObjects.Secret("team-a", "s1", value: "hunter2"));

        var read = await _client.CoreV1.ReadNamespacedSecretAsync("s1", "team-a");

        Assert.Equal("hunter2", Encoding.UTF8.GetString(read.Data["key"]));
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.False(string.IsNullOrEmpty(read.Metadata.ResourceVersion));
        Assert.NotNull(read.Metadata.CreationTimestamp);
        Assert.Equal("v1", read.ApiVersion);
        Assert.Equal("Secret", read.Kind);
    }

    [Fact]
    public async Task GetCode_ReturnsTheServersRelease()
    {
        var version = await _client.Version.GetCodeAsync();

        Assert.Equal(("1", "32", "v1.32.0-fake"), (version.Major, version.Minor, version.GitVersion));
    }

    [Fact]
    public async Task Read_Missing_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<KubeApiException>(() => _client.CoreV1.ReadNamespacedSecretAsync("absent", "team-a"));

        Assert.True(error.IsNotFound);
        Assert.Equal(404, (int)error.StatusCode);
    }

    [Fact]
    public async Task Create_NameTaken_ThrowsAlreadyExists()
    {
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "dup"));

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _client.CreateSecretAsync(TestObjects.Secret("team-a", "dup")));

        Assert.True(error.IsAlreadyExists);
        Assert.False(error.IsConflict);
    }

    [Fact]
    public async Task Replace_CurrentResourceVersion_Updates()
    {
        var secret = await _client.CreateSecretAsync(TestObjects.Secret("team-a", "s"));
        secret.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" };

        var replaced = await _client.CoreV1.ReplaceNamespacedSecretAsync(secret, "s", "team-a");

        Assert.Equal("y", replaced.Metadata.Labels["x"]);
        Assert.NotEqual(secret.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_ThrowsConflictWithoutRetry()
    {
        var stale = await _client.CreateSecretAsync(TestObjects.Secret("team-a", "s"));
        var fresh = await _client.CoreV1.ReadNamespacedSecretAsync("s", "team-a");
        fresh.Metadata.Labels = new Dictionary<string, string> { ["winner"] = "true" };
        await _client.CoreV1.ReplaceNamespacedSecretAsync(fresh, "s", "team-a");
        _cluster.Server.Requests.Clear();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _client.CoreV1.ReplaceNamespacedSecretAsync(stale, "s", "team-a"));

        Assert.True(error.IsConflict);
        Assert.Equal(409, (int)error.StatusCode);
        Assert.Equal(1, _cluster.Server.Requests.Count("update", "secrets"));
    }

    /// <summary>A Secret as a newer API server might store it: a top-level field and a metadata field that
    /// KubernetesClient's <see cref="V1Secret"/> does not know (the fake keeps unknown fields verbatim).</summary>
    private JsonObject SeedSecretWithUnknownFields(string name)
    {
        var seeded = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "team-a",
                ["labels"] = new JsonObject { ["owner"] = "other-tool" },
                ["futureMetadataField"] = "keep-me-too",
            },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { ["key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("old")), ["stale"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("x")) },
            ["futureField"] = new JsonObject { ["setBy"] = "a newer Kubernetes" },
        };
        return _cluster.Server.Store.Create("v1", "secrets", "team-a", seeded);
    }

    [Fact]
    public async Task SecretPatch_LeavesFieldsTheModelDoesNotKnow()
    {
        SeedSecretWithUnknownFields("adopted");
        var current = await _client.CoreV1.ReadNamespacedSecretAsync("adopted", "team-a");
        var patch = new SecretPatch(current)
            .SetLabel("app.kubernetes.io/managed-by", "pullsecret-webhook")
            .SetDataExactly(new Dictionary<string, byte[]> { ["key"] = Encoding.UTF8.GetBytes("new") });

        await _client.CoreV1.PatchNamespacedSecretAsync(patch.ToPatch(), "adopted", "team-a");

        var stored = _cluster.Server.Store.Get("v1", "secrets", "team-a", "adopted")!;
        Assert.Equal("a newer Kubernetes", stored["futureField"]!["setBy"]!.GetValue<string>());
        Assert.Equal("keep-me-too", stored["metadata"]!["futureMetadataField"]!.GetValue<string>());
        Assert.Equal("other-tool", stored["metadata"]!["labels"]!["owner"]!.GetValue<string>());
        Assert.Equal("pullsecret-webhook", stored["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.Equal(["key"], stored["data"]!.AsObject().Select(p => p.Key));
        Assert.Equal("new", Encoding.UTF8.GetString(Convert.FromBase64String(stored["data"]!["key"]!.GetValue<string>())));
    }

    [Fact]
    public async Task SecretPatch_StaleResourceVersion_ThrowsConflictAndChangesNothing()
    {
        SeedSecretWithUnknownFields("adopted");
        var stale = await _client.CoreV1.ReadNamespacedSecretAsync("adopted", "team-a");
        var fresh = await _client.CoreV1.ReadNamespacedSecretAsync("adopted", "team-a");
        await _client.CoreV1.PatchNamespacedSecretAsync(new SecretPatch(fresh).SetLabel("winner", "true").ToPatch(), "adopted", "team-a");

        var error = await Assert.ThrowsAsync<KubeApiException>(() =>
            _client.CoreV1.PatchNamespacedSecretAsync(new SecretPatch(stale).SetLabel("loser", "true").ToPatch(), "adopted", "team-a"));

        Assert.True(error.IsConflict);
        var labels = _cluster.Server.Store.Get("v1", "secrets", "team-a", "adopted")!["metadata"]!["labels"]!.AsObject();
        Assert.Equal(["owner", "winner"], labels.Select(p => p.Key).Order());
    }

    /// <summary>Why the product patches Secrets it does not wholly own: a read-modify-PUT through the package's model
    /// writes back only what the model knows, so the server loses the rest.</summary>
    [Fact]
    public async Task ReadModifyReplace_ThroughTheModel_DropsFieldsTheModelDoesNotKnow()
    {
        SeedSecretWithUnknownFields("adopted");
        var current = await _client.CoreV1.ReadNamespacedSecretAsync("adopted", "team-a");
        current.Metadata.Labels["app.kubernetes.io/managed-by"] = "pullsecret-webhook";

        await _client.CoreV1.ReplaceNamespacedSecretAsync(current, "adopted", "team-a");

        var stored = _cluster.Server.Store.Get("v1", "secrets", "team-a", "adopted")!;
        Assert.Equal("pullsecret-webhook", stored["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.Null(stored["futureField"]);
        Assert.Null(stored["metadata"]!["futureMetadataField"]);
    }

    [Fact]
    public async Task Read_DropsManagedFields_AndWritingBackKeepsTheServersRecord()
    {
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "s1", value: "one"));
        Assert.NotEmpty(_cluster.Server.Store.Get("v1", "secrets", "team-a", "s1")!["metadata"]!["managedFields"]!.AsArray());

        var read = await _client.CoreV1.ReadNamespacedSecretAsync("s1", "team-a");
        var listed = await KubeKinds.Secrets.ListAsync(_client, "team-a", new ListRequest(), CancellationToken.None);

        Assert.Null(read.Metadata.ManagedFields);
        Assert.NotEmpty(listed.Items);
        Assert.All(listed.Items, s => Assert.Null(s.Metadata.ManagedFields));

        read.Data["key"] = Encoding.UTF8.GetBytes("two");
        await _client.CoreV1.ReplaceNamespacedSecretAsync(read, "s1", "team-a");

        var stored = _cluster.Server.Store.Get("v1", "secrets", "team-a", "s1")!;
        Assert.Equal("two", Encoding.UTF8.GetString(Convert.FromBase64String(stored["data"]!["key"]!.GetValue<string>())));
        Assert.NotEmpty(stored["metadata"]!["managedFields"]!.AsArray());
    }

    public static TheoryData<string, string> Patches => new()
    {
        { nameof(V1Patch.PatchType.MergePatch), """{"metadata":{"labels":{"patched":"merge"}}}""" },
        { nameof(V1Patch.PatchType.StrategicMergePatch), """{"metadata":{"labels":{"patched":"strategic"}}}""" },
        { nameof(V1Patch.PatchType.JsonPatch), """[{"op":"add","path":"/metadata/labels","value":{"patched":"json"}}]""" },
    };

    [Theory]
    [MemberData(nameof(Patches))]
    public async Task Patch_EachPatchType_IsApplied(string type, string patch)
    {
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "p"));
        _cluster.Server.Requests.Clear();

        var patched = await _client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(patch, Enum.Parse<V1Patch.PatchType>(type)), "p", "team-a");

        Assert.NotNull(patched.Metadata.Labels);
        Assert.StartsWith(patched.Metadata.Labels["patched"][..4], type.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Equal("v", Encoding.UTF8.GetString(patched.Data["key"]));
        Assert.Equal(1, _cluster.Server.Requests.Count("patch", "secrets"));
    }

    [Fact]
    public async Task Patch_StrategicMergeOnServiceAccount_ReplacesPullSecrets()
    {
        _cluster.Server.Store.Create("v1", "serviceaccounts", "team-a", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "robot", ["namespace"] = "team-a" },
            ["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "existing" }),
        });

        var patched = await _client.CoreV1.PatchNamespacedServiceAccountAsync(
            new V1Patch("""{"imagePullSecrets":[{"name":"pullsecret-webhook"}]}""", V1Patch.PatchType.StrategicMergePatch), "robot", "team-a");

        // ServiceAccount.imagePullSecrets has no merge key: kube-apiserver replaces the list (the fidelity tests check
        // the fake against a real server on exactly this).
        Assert.Equal(["pullsecret-webhook"], patched.ImagePullSecrets.Select(r => r.Name));
    }

    [Fact]
    public async Task Delete_Existing_SucceedsThenThrowsNotFound()
    {
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "d"));

        await _client.CoreV1.DeleteNamespacedSecretAsync("d", "team-a");
        var again = await Assert.ThrowsAsync<KubeApiException>(() => _client.CoreV1.DeleteNamespacedSecretAsync("d", "team-a"));
        var read = await Assert.ThrowsAsync<KubeApiException>(() => _client.CoreV1.ReadNamespacedSecretAsync("d", "team-a"));

        Assert.True(again.IsNotFound);
        Assert.True(read.IsNotFound);
        Assert.Null(_cluster.Server.Store.Get("v1", "secrets", "team-a", "d"));
    }

    [Fact]
    public async Task Delete_StalePrecondition_ThrowsConflictAndKeepsObject()
    {
        var secret = await _client.CreateSecretAsync(TestObjects.Secret("team-a", "d"));
        var staleVersion = secret.Metadata.ResourceVersion;
        secret.Metadata.Labels = new Dictionary<string, string> { ["changed"] = "yes" };
        var current = await _client.CoreV1.ReplaceNamespacedSecretAsync(secret, "d", "team-a");

        var error = await Assert.ThrowsAsync<KubeApiException>(() =>
            _client.CoreV1.DeleteNamespacedSecretAsync("d", "team-a", new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = staleVersion } }));

        Assert.True(error.IsConflict);
        Assert.Equal("d", (await _client.CoreV1.ReadNamespacedSecretAsync("d", "team-a")).Metadata.Name);

        await _client.CoreV1.DeleteNamespacedSecretAsync("d", "team-a", new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = current.Metadata.Uid, ResourceVersion = current.Metadata.ResourceVersion } });
        Assert.Null(_cluster.Server.Store.Get("v1", "secrets", "team-a", "d"));
    }

    [Fact]
    public async Task List_WithLabelAndFieldSelectors_ReturnsOnlyMatches()
    {
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "export-1", new() { ["export"] = "true" }));
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "export-2", new() { ["export"] = "true" }));
        await _client.CreateSecretAsync(TestObjects.Secret("team-a", "plain"));

        var labelled = await KubeKinds.Secrets.ListAsync(_client, "team-a", new ListRequest { LabelSelector = "export=true" }, CancellationToken.None);
        var named = await KubeKinds.Secrets.ListAsync(_client, null, new ListRequest { FieldSelector = "metadata.name=plain" }, CancellationToken.None);

        Assert.Equal(["export-1", "export-2"], labelled.Items.Select(s => s.Metadata.Name).Order());
        Assert.Equal("plain", Assert.Single(named.Items).Metadata.Name);
        Assert.False(string.IsNullOrEmpty(labelled.Metadata?.ResourceVersion));
    }

    [Fact]
    public async Task List_WithLimit_ReturnsOnePageAndAContinueToken()
    {
        for (var i = 0; i < 5; i++)
        {
            await _client.CreateSecretAsync(TestObjects.Secret("team-a", $"s{i}"));
        }

        var first = await KubeKinds.Secrets.ListAsync(_client, "team-a", new ListRequest { Limit = 2 }, CancellationToken.None);
        var second = await KubeKinds.Secrets.ListAsync(_client, "team-a", new ListRequest { Limit = 2, Continue = first.Metadata?.ContinueProperty }, CancellationToken.None);

        Assert.Equal(2, first.Items.Count);
        Assert.False(string.IsNullOrEmpty(first.Metadata?.ContinueProperty));
        Assert.Equal(2, second.Items.Count);
        Assert.Empty(first.Items.Select(s => s.Metadata.Name).Intersect(second.Items.Select(s => s.Metadata.Name)));
    }

    [Fact]
    public async Task ListAll_WithPageSize_PagesThroughAllItems()
    {
        for (var i = 0; i < 7; i++)
        {
            await _client.CreateSecretAsync(TestObjects.Secret("team-a", $"s{i}"));
        }

        _cluster.Server.Requests.Clear();

        var all = await KubePager.ListAllAsync(_client, KubeKinds.Secrets, "team-a", new ListRequest(), pageSize: 3, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"s{i}"), all.Items.Select(s => s.Metadata.Name).Order());
        Assert.Equal(3, _cluster.Server.Requests.Count("list", "secrets"));
        Assert.Null(all.Metadata?.ContinueProperty);
        Assert.False(string.IsNullOrEmpty(all.Metadata?.ResourceVersion));
    }

    [Fact]
    public async Task ClusterScoped_MutatingWebhookConfiguration_RoundTrips()
    {
        var caBundle = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        var configuration = new V1MutatingWebhookConfiguration
        {
            ApiVersion = "admissionregistration.k8s.io/v1",
            Kind = "MutatingWebhookConfiguration",
            Metadata = new V1ObjectMeta { Name = "pullsecret-webhook" },
            Webhooks =
            [
                new V1MutatingWebhook
                {
                    Name = "pods.pullsecret-webhook.io",
                    ClientConfig = new Admissionregistrationv1WebhookClientConfig { Service = new Admissionregistrationv1ServiceReference { Name = "psw", NamespaceProperty = "psw-system", Path = "/mutate", Port = 443 }, CaBundle = caBundle },
                    Rules = [new V1RuleWithOperations { Operations = ["CREATE"], ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"] }],
                    NamespaceSelector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "pullsecret-webhook.io/inject", OperatorProperty = "NotIn", Values = ["false"] }] },
                    MatchConditions = [new V1MatchCondition { Name = "not-kube-system", Expression = "request.namespace != 'kube-system'" }],
                    SideEffects = "None",
                    FailurePolicy = "Ignore",
                    TimeoutSeconds = 5,
                    AdmissionReviewVersions = ["v1"],
                    ReinvocationPolicy = "IfNeeded",
                },
            ],
        };

        await _client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(configuration);
        var read = await _client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync("pullsecret-webhook");

        var webhook = Assert.Single(read.Webhooks);
        Assert.Equal(caBundle, webhook.ClientConfig.CaBundle);
        Assert.Equal("/mutate", webhook.ClientConfig.Service.Path);
        Assert.Equal("NotIn", webhook.NamespaceSelector.MatchExpressions[0].OperatorProperty);
        Assert.Equal("request.namespace != 'kube-system'", Assert.Single(webhook.MatchConditions).Expression);
        Assert.Equal("IfNeeded", webhook.ReinvocationPolicy);
    }

    [Fact]
    public async Task Requests_CarryTheUserAgent()
    {
        _cluster.Server.Requests.Clear();

        await Assert.ThrowsAsync<KubeApiException>(() => _client.CoreV1.ReadNamespacedSecretAsync("any", "team-a"));

        Assert.StartsWith("pullsecret-webhook/", Assert.Single(_cluster.Server.Requests.Snapshot()).UserAgent, StringComparison.Ordinal);
    }
}

using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Kube.Client;
using PullSecretWebhook.Kube.Models;
using PullSecretWebhook.Tests.Kube.Support;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>Every verb against the fake API server over HTTPS.</summary>
public sealed class KubeClientVerbTests : IAsyncLifetime
{
    private KubeTestCluster _cluster = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeTestCluster.StartAsync();
        _client = _cluster.CreateClient();
        await _client.CreateNamespaceAsync("team-a");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Create_ThenGet_RoundTripsSecretData()
    {
        var created = await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "s1", value: "hunter2"));

        var read = await _client.GetAsync(KubeResources.Secrets, "s1", "team-a");

        Assert.NotNull(read);
        Assert.Equal("hunter2", Encoding.UTF8.GetString(read.Data!["key"]));
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.False(string.IsNullOrEmpty(read.Metadata.ResourceVersion));
        Assert.NotNull(read.Metadata.CreationTimestamp);
        Assert.Equal("v1", read.ApiVersion);
        Assert.Equal("Secret", read.Kind);
    }

    [Fact]
    public async Task GetVersion_ReturnsTheServersRelease()
    {
        var version = await _client.GetVersionAsync();

        Assert.Equal(("1", "32", "v1.32.0-fake"), (version.Major, version.Minor, version.GitVersion));
    }

    [Fact]
    public async Task Get_Missing_ReturnsNull()
    {
        Assert.Null(await _client.GetAsync(KubeResources.Secrets, "absent", "team-a"));
    }

    [Fact]
    public async Task Create_NameTaken_ThrowsAlreadyExists()
    {
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "dup"));

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "dup")));

        Assert.True(error.IsAlreadyExists);
        Assert.False(error.IsConflict);
    }

    [Fact]
    public async Task Replace_CurrentResourceVersion_Updates()
    {
        var secret = await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "s"));
        secret.Metadata.Labels = new() { ["x"] = "y" };

        var replaced = await _client.ReplaceAsync(KubeResources.Secrets, secret);

        Assert.Equal("y", replaced.Metadata.Labels!["x"]);
        Assert.NotEqual(secret.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_ThrowsConflictWithoutRetry()
    {
        var stale = await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "s"));
        var fresh = await _client.GetAsync(KubeResources.Secrets, "s", "team-a");
        fresh!.Metadata.Labels = new() { ["winner"] = "true" };
        await _client.ReplaceAsync(KubeResources.Secrets, fresh);
        _cluster.Server.Requests.Clear();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _client.ReplaceAsync(KubeResources.Secrets, stale));

        Assert.True(error.IsConflict);
        Assert.Equal(409, (int)error.StatusCode);
        Assert.Equal(1, _cluster.Server.Requests.Count("update", "secrets"));
    }

    [Fact]
    public async Task Replace_KeepsFieldsTheModelDoesNotKnow()
    {
        var seeded = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = "robot", ["namespace"] = "team-a", ["finalizers"] = new JsonArray("example.com/keep") },
            ["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "old" }),
        };
        _cluster.Server.Store.Create("v1", "serviceaccounts", "team-a", seeded);
        var account = await _client.GetAsync(KubeResources.ServiceAccounts, "robot", "team-a");
        account!.ImagePullSecrets!.Add(new LocalObjectReference { Name = "new" });

        await _client.ReplaceAsync(KubeResources.ServiceAccounts, account);

        var stored = _cluster.Server.Store.Get("v1", "serviceaccounts", "team-a", "robot")!;
        Assert.Equal("example.com/keep", stored["metadata"]!["finalizers"]![0]!.GetValue<string>());
        Assert.Equal(["old", "new"], stored["imagePullSecrets"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Read_DropsManagedFields_AndWritingBackKeepsTheServersRecord()
    {
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "s1", value: "one"));
        Assert.NotNull(_cluster.Server.Store.Get("v1", "secrets", "team-a", "s1")!["metadata"]!["managedFields"]);

        var read = await _client.GetAsync(KubeResources.Secrets, "s1", "team-a");
        var listed = await _client.ListAsync(KubeResources.Secrets, "team-a");

        Assert.False(read!.Metadata.ExtensionData?.ContainsKey("managedFields") ?? false);
        Assert.All(listed.Items, s => Assert.False(s.Metadata.ExtensionData?.ContainsKey("managedFields") ?? false));

        read.Data!["key"] = Encoding.UTF8.GetBytes("two");
        await _client.ReplaceAsync(KubeResources.Secrets, read);

        var managers = _cluster.Server.Store.Get("v1", "secrets", "team-a", "s1")!["metadata"]!["managedFields"]!.AsArray();
        Assert.NotEmpty(managers);
    }

    public static TheoryData<string, string> Patches => new()
    {
        { nameof(PatchType.Merge), """{"metadata":{"labels":{"patched":"merge"}}}""" },
        { nameof(PatchType.StrategicMerge), """{"metadata":{"labels":{"patched":"strategic"}}}""" },
        { nameof(PatchType.Json), """[{"op":"add","path":"/metadata/labels","value":{"patched":"json"}}]""" },
    };

    [Theory]
    [MemberData(nameof(Patches))]
    public async Task Patch_EachPatchType_IsApplied(string type, string patch)
    {
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "p"));

        var patched = await _client.PatchAsync(KubeResources.Secrets, "p", "team-a", Enum.Parse<PatchType>(type), JsonNode.Parse(patch)!);

        Assert.NotNull(patched.Metadata.Labels);
        Assert.StartsWith(patched.Metadata.Labels["patched"][..4], type.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Equal("v", Encoding.UTF8.GetString(patched.Data!["key"]));
    }

    [Fact]
    public async Task Patch_StrategicMergeOnServiceAccount_ReplacesPullSecrets()
    {
        _cluster.Server.Store.Create("v1", "serviceaccounts", "team-a", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "robot", ["namespace"] = "team-a" },
            ["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "existing" }),
        });

        var patched = await _client.PatchAsync(KubeResources.ServiceAccounts, "robot", "team-a", PatchType.StrategicMerge, JsonNode.Parse("""{"imagePullSecrets":[{"name":"pullsecret-webhook"}]}""")!);

        // ServiceAccount.imagePullSecrets has no merge key: kube-apiserver replaces the list (the fidelity tests check
        // the fake against a real server on exactly this).
        Assert.Equal(["pullsecret-webhook"], patched.ImagePullSecrets!.Select(r => r.Name));
    }

    [Fact]
    public async Task Delete_Existing_ReturnsTrueThenFalse()
    {
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "d"));

        Assert.True(await _client.DeleteAsync(KubeResources.Secrets, "d", "team-a"));
        Assert.False(await _client.DeleteAsync(KubeResources.Secrets, "d", "team-a"));
        Assert.Null(await _client.GetAsync(KubeResources.Secrets, "d", "team-a"));
    }

    [Fact]
    public async Task Delete_StalePrecondition_ThrowsConflictAndKeepsObject()
    {
        var secret = await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "d"));
        secret.Metadata.Labels = new() { ["changed"] = "yes" };
        var current = await _client.ReplaceAsync(KubeResources.Secrets, secret);

        var error = await Assert.ThrowsAsync<KubeApiException>(() =>
            _client.DeleteAsync(KubeResources.Secrets, "d", "team-a", new Preconditions { ResourceVersion = secret.Metadata.ResourceVersion }));

        Assert.True(error.IsConflict);
        Assert.NotNull(await _client.GetAsync(KubeResources.Secrets, "d", "team-a"));
        Assert.True(await _client.DeleteAsync(KubeResources.Secrets, "d", "team-a", new Preconditions { Uid = current.Metadata.Uid, ResourceVersion = current.Metadata.ResourceVersion }));
    }

    [Fact]
    public async Task List_WithLabelAndFieldSelectors_ReturnsOnlyMatches()
    {
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "export-1", new() { ["export"] = "true" }));
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "export-2", new() { ["export"] = "true" }));
        await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "plain"));

        var labelled = await _client.ListAsync(KubeResources.Secrets, "team-a", new ListOptions { LabelSelector = "export=true" });
        var named = await _client.ListAsync(KubeResources.Secrets, null, new ListOptions { FieldSelector = "metadata.name=plain" });

        Assert.Equal(["export-1", "export-2"], labelled.Items.Select(s => s.Metadata.Name).Order());
        Assert.Equal("plain", Assert.Single(named.Items).Metadata.Name);
        Assert.False(string.IsNullOrEmpty(labelled.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task List_WithLimit_ReturnsOnePageAndAContinueToken()
    {
        for (var i = 0; i < 5; i++)
        {
            await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", $"s{i}"));
        }

        var first = await _client.ListAsync(KubeResources.Secrets, "team-a", new ListOptions { Limit = 2 });
        var second = await _client.ListAsync(KubeResources.Secrets, "team-a", new ListOptions { Limit = 2, Continue = first.Metadata.Continue });

        Assert.Equal(2, first.Items.Count);
        Assert.False(string.IsNullOrEmpty(first.Metadata.Continue));
        Assert.Equal(2, second.Items.Count);
        Assert.Empty(first.Items.Select(s => s.Metadata.Name).Intersect(second.Items.Select(s => s.Metadata.Name)));
    }

    [Fact]
    public async Task ListAll_WithLimit_PagesThroughAllItems()
    {
        for (var i = 0; i < 7; i++)
        {
            await _client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", $"s{i}"));
        }

        _cluster.Server.Requests.Clear();

        var all = await _client.ListAllAsync(KubeResources.Secrets, "team-a", pageSize: 3);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"s{i}"), all.Items.Select(s => s.Metadata.Name!).Order());
        Assert.Equal(3, _cluster.Server.Requests.Count("list", "secrets"));
        Assert.Null(all.Metadata.Continue);
        Assert.False(string.IsNullOrEmpty(all.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task ClusterScoped_MutatingWebhookConfiguration_RoundTrips()
    {
        var caBundle = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        var configuration = new MutatingWebhookConfiguration
        {
            Metadata = new ObjectMeta { Name = "pullsecret-webhook" },
            Webhooks =
            [
                new MutatingWebhook
                {
                    Name = "pods.pullsecret-webhook.io",
                    ClientConfig = new WebhookClientConfig { Service = new ServiceReference { Name = "psw", Namespace = "psw-system", Path = "/mutate", Port = 443 }, CaBundle = caBundle },
                    Rules = [new RuleWithOperations { Operations = ["CREATE"], ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"] }],
                    NamespaceSelector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "pullsecret-webhook.io/inject", Operator = "NotIn", Values = ["false"] }] },
                    SideEffects = "None",
                    FailurePolicy = "Ignore",
                    TimeoutSeconds = 5,
                    AdmissionReviewVersions = ["v1"],
                    ReinvocationPolicy = "IfNeeded",
                },
            ],
        };

        await _client.CreateAsync(KubeResources.MutatingWebhookConfigurations, configuration);
        var read = await _client.GetAsync(KubeResources.MutatingWebhookConfigurations, "pullsecret-webhook");

        var webhook = Assert.Single(read!.Webhooks!);
        Assert.Equal(caBundle, webhook.ClientConfig!.CaBundle);
        Assert.Equal("/mutate", webhook.ClientConfig.Service!.Path);
        Assert.Equal("NotIn", webhook.NamespaceSelector!.MatchExpressions![0].Operator);
        Assert.Equal("IfNeeded", webhook.ReinvocationPolicy);
    }

    [Fact]
    public async Task Requests_CarryTheUserAgent()
    {
        await _client.GetAsync(KubeResources.Secrets, "any", "team-a");

        Assert.StartsWith("pullsecret-webhook/", _cluster.Server.Requests.Snapshot()[^1].UserAgent, StringComparison.Ordinal);
    }
}

using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Ecosystem;

/// <summary>Each README recipe applied to the real API server with kubectl (its kind served by a stand-in CRD), the
/// Secret its tool would write derived from the applied object, and the resulting targets asserted (README, "Sources
/// written by other tools"); plus the Secret shapes some operators produce: legacy <c>kubernetes.io/dockercfg</c>
/// (accepted) and <c>Opaque</c> holding a <c>.dockerconfigjson</c> (refused and reported).</summary>
[Collection(SharedControlPlane.Name)]
public sealed class RecipeTests(ControlPlaneFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ClusterScope _scope = fixture.NewScope(output);
    private string _sources = "";

    public async Task InitializeAsync()
    {
        await ToolObjects.EnsureCrdsAsync(_scope.Admin);
        _sources = await _scope.CreateNamespaceAsync("src");
        await _scope.StartProductAsync(_sources);
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task EsoExternalSecretRecipe_ReachesTheNamespacesOfItsScope()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        var other = await _scope.CreateNamespaceAsync("other");
        var externalSecret = await ToolObjects.ApplyAsync(fixture.Plane, ToolObjects.Recipe("eso-external-secret", _sources));

        await CreateAsync(ToolObjects.EsoSecret(externalSecret, ToolObjects.RenderAuths("harbor.example.com", "robot", "s3cret\"quoted")));

        await _scope.WaitForRegistriesAsync(team, "harbor.example.com");
        Assert.Equal(("robot", "s3cret\"quoted"), await KubeletCredentialAsync(team, "harbor.example.com"));
        Assert.Null(await _scope.GetSecretAsync(other));
    }

    [Fact]
    public async Task EsoClusterExternalSecretRecipe_SelectsOnlyTheSourceNamespace_AndReachesEveryNamespace()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        var tenant = await _scope.CreateNamespaceAsync("tenant");
        // kubernetes.io/metadata.name is set by the API server from 1.21; on 1.20, as the README says, by hand.
        foreach (var ns in new[] { _sources, tenant })
        {
            await _scope.Admin.MergePatchAsync($"/api/v1/namespaces/{ns}", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = ns } } });
        }

        var clusterExternalSecret = await ToolObjects.ApplyAsync(fixture.Plane, ToolObjects.Recipe("eso-cluster-external-secret", _sources));
        try
        {
            // Plays ESO: an ExternalSecret in each selected namespace, then the Secret each one writes.
            var selected = new List<string>();
            foreach (var ns in new[] { _sources, tenant, team })
            {
                var labels = (await _scope.Admin.GetAsync($"/api/v1/namespaces/{ns}"))!["metadata"]!["labels"]?.AsObject();
                if (ToolObjects.Selects(clusterExternalSecret, labels))
                {
                    selected.Add(ns);
                    var externalSecret = await _scope.Admin.CreateAsync($"/apis/external-secrets.io/v1/namespaces/{ns}/externalsecrets", ToolObjects.ExternalSecretFor(clusterExternalSecret, ns));
                    await CreateAsync(ToolObjects.EsoSecret(externalSecret, ToolObjects.RenderAuths("harbor.example.com", "robot", "pw")));
                }
            }

            Assert.Equal([_sources], selected);
            await _scope.WaitForRegistriesAsync(team, "harbor.example.com");
            await _scope.WaitForRegistriesAsync(tenant, "harbor.example.com");
        }
        finally
        {
            await _scope.Admin.DeleteAsync($"/apis/external-secrets.io/v1/clusterexternalsecrets/{(string?)clusterExternalSecret["metadata"]!["name"]}");
        }
    }

    [Fact]
    public async Task VaultSecretRecipe_LabelPropagated_ReachesEveryNamespace()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        var other = await _scope.CreateNamespaceAsync("other");
        var vaultSecret = await ToolObjects.ApplyAsync(fixture.Plane, ToolObjects.Recipe("vault-secret", _sources));

        var written = await CreateAsync(ToolObjects.VaultSecretSecret(vaultSecret, ToolObjects.RenderAuths("registry.example.com", "vault-robot", "pw")));

        Assert.Equal("vault-secrets-operator", (string?)written["metadata"]!["labels"]!["created-by"]);
        await _scope.WaitForRegistriesAsync(team, "registry.example.com");
        await _scope.WaitForRegistriesAsync(other, "registry.example.com"); // no scope annotation: everywhere
        Assert.Equal(("vault-robot", "pw"), await KubeletCredentialAsync(team, "registry.example.com"));
    }

    [Fact]
    public async Task ToolWithoutLabels_NamedInTheSettings_IsExportedWithTheSettingsScope()
    {
        // The VaultSecret recipe without its label: the Secret the operator writes carries no export label.
        var team = await _scope.CreateNamespaceAsync("team");
        var other = await _scope.CreateNamespaceAsync("other");
        var recipe = ToolObjects.Recipe("vault-secret", _sources).Replace("""    pullsecret-webhook.io/export: "true"   # propagated to the Secret""", """    app: registry""", StringComparison.Ordinal);
        var vaultSecret = await ToolObjects.ApplyAsync(fixture.Plane, recipe);
        var written = await CreateAsync(ToolObjects.VaultSecretSecret(vaultSecret, ToolObjects.RenderAuths("registry.example.com", "vault-robot", "pw")));
        Assert.Null(written["metadata"]!["labels"]![ClusterScope.ExportLabel]);

        // A second product, configured as the README's "When the tool cannot set labels" says.
        await _scope.StopProductsAsync();
        await _scope.StartProductAsync(_sources, new Dictionary<string, string>
        {
            ["Sources:Secrets:0:Namespace"] = _sources,
            ["Sources:Secrets:0:Name"] = "harbor-pull",
            ["Sources:Secrets:0:ToNamespaces"] = "team-*",
        });

        await _scope.WaitForRegistriesAsync(team, "registry.example.com");
        Assert.Null(await _scope.GetSecretAsync(other));
    }

    [Fact]
    public async Task LegacyDockercfgSource_IsAccepted()
    {
        var team = await _scope.CreateNamespaceAsync("team");

        await CreateAsync(Secret("legacy", "kubernetes.io/dockercfg", ".dockercfg", """{"legacy.example.com":{"auth":"dTpw"}}"""));

        await _scope.WaitForRegistriesAsync(team, "legacy.example.com");
        Assert.Equal(("u", "p"), await KubeletCredentialAsync(team, "legacy.example.com"));
    }

    [Fact]
    public async Task OpaqueSecretHoldingADockerconfigjson_IsRefusedAndReported()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        await CreateAsync(Secret("good", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", ToolObjects.RenderAuths("harbor.example.com", "robot", "pw")));

        // A template without a type: the API server accepts it, the kubelet would ignore it.
        await CreateAsync(Secret("untyped", "Opaque", ".dockerconfigjson", ToolObjects.RenderAuths("opaque.example.com", "robot", "pw")));

        await Eventually.WaitUntilAsync(
            async () => (await _scope.EventsAboutAsync(_sources, "untyped")).Any(e => e.Contains("InvalidSource", StringComparison.Ordinal) && e.Contains("holds a registry credential key", StringComparison.Ordinal)),
            "the Opaque Secret is reported", diagnostics: _scope.Diagnostics);
        await _scope.WaitForRegistriesAsync(team, "harbor.example.com");
    }

    private JsonObject Secret(string name, string type, string key, string payload) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = _sources, ["labels"] = new JsonObject { [ClusterScope.ExportLabel] = "true" } },
        ["type"] = type,
        ["data"] = new JsonObject { [key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)) },
    };

    private async Task<JsonObject> CreateAsync(JsonObject secret) =>
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{(string?)secret["metadata"]!["namespace"]}/secrets", secret);

    /// <summary>The username and password the kubelet reads from a target's entry (its <c>auth</c> field).</summary>
    private async Task<(string User, string Password)> KubeletCredentialAsync(string ns, string registry)
    {
        var data = (string)(await _scope.GetSecretAsync(ns))!["data"]![".dockerconfigjson"]!;
        var auth = Encoding.UTF8.GetString(Convert.FromBase64String((string)JsonNode.Parse(Convert.FromBase64String(data))!["auths"]![registry]!["auth"]!));
        var colon = auth.IndexOf(':', StringComparison.Ordinal);
        return (auth[..colon], auth[(colon + 1)..]);
    }
}

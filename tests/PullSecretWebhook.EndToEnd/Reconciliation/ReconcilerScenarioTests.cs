using System.Net;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.Product;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Reconciliation;

/// <summary>The README's reconciler scenario against the real API server, the product running as its ServiceAccount
/// with exactly the RBAC of <c>deploy/</c>.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class ReconcilerScenarioTests(ControlPlaneFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string ToNamespaces = "pullsecret-webhook.io/to-namespaces";
    private const string ToNamespaceSelector = "pullsecret-webhook.io/to-namespace-selector";
    private readonly ClusterScope _scope = fixture.NewScope(output);
    private string _sources = "";
    private ProductProcess _product = null!;

    public async Task InitializeAsync()
    {
        _sources = await _scope.CreateNamespaceAsync("src");
        await _scope.PutSourceAsync(_sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "pw")));
        _product = await _scope.StartProductAsync(_sources);
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task NewNamespace_GetsTheMergedSecretOwnedAndAnnotated()
    {
        var team = await _scope.CreateNamespaceAsync("team");

        await _scope.WaitForRegistriesAsync(team, "harbor.example.com");
        var target = (await _scope.GetSecretAsync(team))!;
        Assert.Equal("kubernetes.io/dockerconfigjson", (string?)target["type"]);
        Assert.Equal("pullsecret-webhook", (string?)target["metadata"]!["labels"]![ClusterScope.ManagedByLabel]);
        Assert.Equal($"{_sources}/harbor", (string?)target["metadata"]!["annotations"]!["pullsecret-webhook.io/sources"]);
    }

    [Fact]
    public async Task Rotation_AndASecondSource_ReachEveryNamespace()
    {
        var teams = new[] { await _scope.CreateNamespaceAsync("team"), await _scope.CreateNamespaceAsync("team") };
        foreach (var team in teams)
        {
            await _scope.WaitForRegistriesAsync(team, "harbor.example.com");
        }

        await _scope.PutSourceAsync(_sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "rotated")));
        await _scope.PutSourceAsync(_sources, "ghcr", ClusterScope.DockerConfig(("ghcr.io", "bot", "pw")));

        foreach (var team in teams)
        {
            await _scope.WaitForRegistriesAsync(team, "ghcr.io", "harbor.example.com");
            await Eventually.WaitUntilAsync(async () => await PasswordAsync(team, "harbor.example.com") == "rotated", $"the rotated password reaches {team}");
        }
    }

    [Fact]
    public async Task DeletedOrEditedTarget_IsPutBack()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        await _scope.WaitForRegistriesAsync(team, "harbor.example.com");

        await _scope.Admin.DeleteAsync($"/api/v1/namespaces/{team}/secrets/{ClusterScope.Target}");
        await _scope.WaitForRegistriesAsync(team, "harbor.example.com");

        var edited = (await _scope.GetSecretAsync(team))!;
        edited["data"]![".dockerconfigjson"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ClusterScope.DockerConfig(("evil.example.com", "x", "y"))));
        await _scope.Admin.UpdateAsync($"/api/v1/namespaces/{team}/secrets/{ClusterScope.Target}", edited);
        await _scope.WaitForRegistriesAsync(team, "harbor.example.com");
    }

    [Fact]
    public async Task ScopedSources_ReachOnlyTheNamespacesTheyName()
    {
        var prod = await _scope.CreateNamespaceAsync("team", new Dictionary<string, string> { ["env"] = "prod" });
        var dev = await _scope.CreateNamespaceAsync("team", new Dictionary<string, string> { ["env"] = "dev" });
        var other = await _scope.CreateNamespaceAsync("other", new Dictionary<string, string> { ["env"] = "prod" });
        await _scope.PutSourceAsync(_sources, "prod-only", ClusterScope.DockerConfig(("prod.example.com", "p", "pw")),
            new Dictionary<string, string> { [ToNamespaces] = "team-*", [ToNamespaceSelector] = "env in (prod)" });

        await _scope.WaitForRegistriesAsync(prod, "harbor.example.com", "prod.example.com");
        await _scope.WaitForRegistriesAsync(dev, "harbor.example.com");
        await _scope.WaitForRegistriesAsync(other, "harbor.example.com");

        // Narrowing the source removes its entries where it no longer applies.
        await _scope.PutSourceAsync(_sources, "prod-only", ClusterScope.DockerConfig(("prod.example.com", "p", "pw")),
            new Dictionary<string, string> { [ToNamespaces] = "nothing-*" });
        await _scope.WaitForRegistriesAsync(prod, "harbor.example.com");
    }

    [Fact]
    public async Task TenantExport_IsIgnoredAndReported()
    {
        var tenant = await _scope.CreateNamespaceAsync("tenant");
        var victim = await _scope.CreateNamespaceAsync("team");
        await _scope.PutSourceAsync(tenant, "sneaky", ClusterScope.DockerConfig(("evil.example.com", "x", "y")));

        await Eventually.WaitUntilAsync(async () => (await _scope.EventsAboutAsync(tenant, "sneaky")).Any(e => e.Contains("NotASourceNamespace", StringComparison.Ordinal)),
            "the tenant's export is reported", diagnostics: _scope.Diagnostics);
        await _scope.WaitForRegistriesAsync(victim, "harbor.example.com");
        await _scope.WaitForRegistriesAsync(tenant, "harbor.example.com");
    }

    [Fact]
    public async Task TenantExportInATerminatingNamespace_IsNotReported()
    {
        // A namespace held in Terminating by a finalizer on its exported Secret: the API server refuses new objects
        // there (403), so a report would only be refused. A live tenant's export is the control: it is reported.
        await _product.StopAsync();
        var dying = await _scope.CreateNamespaceAsync("tenant");
        var live = await _scope.CreateNamespaceAsync("tenant");
        var held = await _scope.PutSourceAsync(dying, "sneaky", ClusterScope.DockerConfig(("evil.example.com", "x", "y")));
        held["metadata"]!["finalizers"] = new JsonArray("e2e.pullsecret-webhook.io/hold");
        await _scope.Admin.UpdateAsync($"/api/v1/namespaces/{dying}/secrets/sneaky", held);
        await _scope.PutSourceAsync(live, "sneaky", ClusterScope.DockerConfig(("evil.example.com", "x", "y")));
        await fixture.Plane.DeleteNamespaceAsync(dying);
        await Eventually.WaitUntilAsync(async () => (await _scope.GetSecretAsync(dying, "sneaky"))?["metadata"]?["deletionTimestamp"] is not null, "the held Secret is being deleted");
        try
        {
            var product = await _scope.StartProductAsync(_sources, podName: "pullsecret-webhook-1");

            await Eventually.WaitUntilAsync(async () => (await _scope.EventsAboutAsync(live, "sneaky")).Any(e => e.Contains("NotASourceNamespace", StringComparison.Ordinal)),
                "the live tenant's export is reported", diagnostics: _scope.Diagnostics);
            await Eventually.WaitUntilAsync(async () => (int?)(await product.StatusAsync())["queueDepth"] == 0, "the work queue is drained");
            Assert.DoesNotContain(_scope.AuditSinceStart(), r => r.Namespace == dying && r.IsWrite);
        }
        finally
        {
            var secret = await _scope.GetSecretAsync(dying, "sneaky");
            if (secret is not null)
            {
                secret["metadata"]!["finalizers"] = new JsonArray();
                await _scope.Admin.UpdateAsync($"/api/v1/namespaces/{dying}/secrets/sneaky", secret);
            }
        }
    }

    [Fact]
    public async Task UnmanagedSecretOfTheSameName_IsNeverTouched_UntilAdopted()
    {
        // Opted out while their Secret is made, so that it is there before the product ever looks at the namespace.
        var team = await _scope.CreateNamespaceAsync("team", new Dictionary<string, string> { [ClusterScope.InjectLabel] = "false" });
        var theirs = await _scope.Admin.CreateAsync($"/api/v1/namespaces/{team}/secrets", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = ClusterScope.Target, ["labels"] = new JsonObject { ["owner"] = "someone-else" } },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ClusterScope.DockerConfig(("theirs.example.com", "t", "pw")))) },
        });

        await _scope.Admin.MergePatchAsync($"/api/v1/namespaces/{team}", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [ClusterScope.InjectLabel] = null } } });

        await Eventually.WaitUntilAsync(async () => (await _scope.EventsAboutAsync(team, ClusterScope.Target)).Any(e => e.Contains("TargetConflict", StringComparison.Ordinal)),
            "the conflict is reported", diagnostics: _scope.Diagnostics);
        await Eventually.WaitUntilAsync(async () => (await _product.StatusAsync())["namespaces"]!.AsArray().Any(n => (string?)n!["namespace"] == team && (string?)n["state"] == "Conflict"),
            "/status says Conflict");
        var untouched = (await _scope.GetSecretAsync(team))!;
        Assert.Equal((string?)theirs["metadata"]!["resourceVersion"], (string?)untouched["metadata"]!["resourceVersion"]);
        // No write of the product's identity ever touched it (the audit log is the judge, not the product's word).
        Assert.DoesNotContain(fixture.Plane.Audit.Read(), r => r.IsWrite && r.Resource == "secrets" && r.Namespace == team);

        // Adoption: the owner hands it over with the annotation; it is taken over in place.
        untouched["metadata"]!["annotations"] = new JsonObject { ["pullsecret-webhook.io/adopt"] = "true" };
        await _scope.Admin.UpdateAsync($"/api/v1/namespaces/{team}/secrets/{ClusterScope.Target}", untouched);
        await Eventually.WaitUntilAsync(async () => (string?)(await _scope.GetSecretAsync(team))?["metadata"]?["labels"]?[ClusterScope.ManagedByLabel] == "pullsecret-webhook",
            "the adopted Secret carries the ownership label", diagnostics: _scope.Diagnostics);
        var adopted = (await _scope.GetSecretAsync(team))!;
        Assert.Equal((string?)theirs["metadata"]!["uid"], (string?)adopted["metadata"]!["uid"]);
        Assert.Equal("someone-else", (string?)adopted["metadata"]!["labels"]!["owner"]);
        await _scope.WaitForRegistriesAsync(team, "harbor.example.com");
    }

    [Fact]
    public async Task OptOut_RemovesTheManagedSecret()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        await _scope.WaitForRegistriesAsync(team, "harbor.example.com");

        await _scope.Admin.MergePatchAsync($"/api/v1/namespaces/{team}", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [ClusterScope.InjectLabel] = "false" } } });

        await _scope.WaitForNoTargetAsync(team);
    }

    [Fact]
    public async Task LastSourceDeleted_RemovesEveryTarget()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        await _scope.WaitForRegistriesAsync(team, "harbor.example.com");

        await _scope.Admin.DeleteAsync($"/api/v1/namespaces/{_sources}/secrets/harbor");

        await _scope.WaitForNoTargetAsync(team);
    }

    [Fact]
    public async Task NamespaceDeletion_Completes()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        await _scope.WaitForRegistriesAsync(team, "harbor.example.com");

        await fixture.Plane.DeleteNamespaceAsync(team);

        // The namespace controller deletes its Secrets; the product must not re-create the target into a
        // terminating namespace and hold the deletion up.
        await Eventually.WaitUntilAsync(
            async () => (await _scope.Admin.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{team}")).Status == HttpStatusCode.NotFound,
            $"namespace {team} is gone", TimeSpan.FromSeconds(60), _scope.Diagnostics);
        Assert.DoesNotContain(fixture.Plane.Audit.Read(), r => r.Namespace == team && r.Resource == "secrets" && r.Code is >= 400 and not 404 and not 409 and not 403);
    }

    private async Task<string?> PasswordAsync(string ns, string registry)
    {
        var secret = await _scope.GetSecretAsync(ns);
        var data = (string?)secret?["data"]?[".dockerconfigjson"];
        return data is null ? null : (string?)JsonNode.Parse(Convert.FromBase64String(data))!["auths"]![registry]?["password"];
    }
}

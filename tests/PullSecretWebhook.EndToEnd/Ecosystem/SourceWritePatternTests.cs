using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.Product;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Ecosystem;

/// <summary>How External Secrets and the Vault operators write their Secrets, reproduced by a test writer against the
/// real API server (README, "Sources written by other tools"): created with <c>ownerReferences</c>, refreshed with the
/// same bytes or new ones, merged into an existing Secret, deleted and re-created, and a template error writing an
/// empty or broken <c>.dockerconfigjson</c> for a while (README, "When a source turns invalid"). The audit log, not the
/// product, says what was written.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class SourceWritePatternTests(ControlPlaneFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Registry = "harbor.example.com";
    private const string SourceName = "harbor-pull";

    /// <summary>A template that put the raw password where base64 belongs: JSON, accepted by the API server, refused
    /// by the kubelet's rules.</summary>
    private const string BadAuth = """{"auths":{"harbor.example.com":{"auth":"not base64!"}}}""";
    private readonly ClusterScope _scope = fixture.NewScope(output);
    private string _sources = "";
    private JsonObject _externalSecret = null!;
    private ProductProcess _product = null!;

    public async Task InitializeAsync()
    {
        await ToolObjects.EnsureCrdsAsync(_scope.Admin);
        _sources = await _scope.CreateNamespaceAsync("src");
        _externalSecret = await ToolObjects.ApplyAsync(fixture.Plane, ToolObjects.Recipe("eso-external-secret", _sources));
        _product = await _scope.StartProductAsync(_sources);
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task CreatedWithOwnerReferences_ReachesItsScope_AndLeavesWithItsOwner()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        var other = await _scope.CreateNamespaceAsync("other");

        await EsoWritesAsync("robot", "pw1");

        await _scope.WaitForRegistriesAsync(team, Registry);
        Assert.Null(await _scope.GetSecretAsync(other)); // the recipe's to-namespaces is "team-*"

        // Deleting the ExternalSecret: the garbage collector deletes the Secret it owns, and its entries leave.
        await _scope.Admin.DeleteAsync($"/apis/external-secrets.io/v1/namespaces/{_sources}/externalsecrets/{SourceName}");
        await Eventually.WaitUntilAsync(async () => await _scope.GetSecretAsync(_sources, SourceName) is null, "the garbage collector deleted the owned Secret", TimeSpan.FromSeconds(60));
        await _scope.WaitForNoTargetAsync(team);
    }

    [Fact]
    public async Task PeriodicRefresh_WithTheSameBytes_CausesNoTargetWrite()
    {
        var teams = new[] { await _scope.CreateNamespaceAsync("team"), await _scope.CreateNamespaceAsync("team") };
        await EsoWritesAsync("robot", "pw1");
        foreach (var team in teams)
        {
            await _scope.WaitForRegistriesAsync(team, Registry);
        }

        var since = DateTimeOffset.UtcNow;
        var upToDate = await _product.MetricAsync("pullsecret_webhook_reconciles_total", "state=\"up_to_date\"");
        for (var i = 0; i < 3; i++)
        {
            // A refresh that rewrites data with the same bytes: the API server stores nothing new (no event) ...
            await EsoWritesAsync("robot", "pw1");
            // ... and one that also stamps its own metadata: an event the product sees, with the same credentials.
            await EsoWritesAsync("robot", "pw1", stamp: $"refresh-{i}");
        }

        // The product reconciled after the stamps (its up_to_date count moved), and a namespace created after them is
        // served: the refreshes are behind it. Its create is the only target write since the refreshes began.
        await Eventually.WaitUntilAsync(async () => await _product.MetricAsync("pullsecret_webhook_reconciles_total", "state=\"up_to_date\"") >= upToDate + teams.Length, "the refreshes were reconciled");
        var barrier = await _scope.CreateNamespaceAsync("team");
        await _scope.WaitForRegistriesAsync(barrier, Registry);
        var writes = TargetWritesSince(since);
        Assert.True(writes.Count == 1 && writes[0].Verb == "create" && writes[0].Namespace == barrier, "target writes since the refreshes:\n" + string.Join('\n', writes));
    }

    [Fact]
    public async Task PeriodicRefresh_WithNewBytes_RotatesEveryNamespaceInPlace()
    {
        var teams = new[] { await _scope.CreateNamespaceAsync("team"), await _scope.CreateNamespaceAsync("team") };
        await EsoWritesAsync("robot", "old");
        foreach (var team in teams)
        {
            await _scope.WaitForRegistriesAsync(team, Registry);
        }

        var since = DateTimeOffset.UtcNow;
        await EsoWritesAsync("robot", "rotated");

        foreach (var team in teams)
        {
            await Eventually.WaitUntilAsync(async () => await PasswordAsync(team) == "rotated", $"the rotation reaches {team}", diagnostics: _scope.Diagnostics);
            Assert.All(TargetWritesSince(since).Where(w => w.Namespace == team), w => Assert.Equal("patch", w.Verb));
        }
    }

    [Fact]
    public async Task MergePolicyWrite_LeavesOtherKeys_AndOnlyTheCredentialReachesTheTargets()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        // creationPolicy: Merge — the Secret exists already, someone else's, with a key of its own ...
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_sources}/secrets", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = SourceName, ["labels"] = new JsonObject { ["owner"] = "platform" } },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject
            {
                [".dockerconfigjson"] = Base64("""{"auths":{}}"""),
                ["notes"] = Base64("rotated monthly"),
            },
        });

        // ... and the tool merges its labels, annotations and key into it, leaving the rest.
        var existing = (await _scope.GetSecretAsync(_sources, SourceName))!;
        var written = ToolObjects.EsoSecret(_externalSecret, ToolObjects.RenderAuths(Registry, "robot", "merged"));
        foreach (var (key, value) in written["metadata"]!["labels"]!.AsObject())
        {
            existing["metadata"]!["labels"]![key] = value!.DeepClone();
        }

        existing["metadata"]!["annotations"] = written["metadata"]!["annotations"]!.DeepClone();
        existing["data"]![".dockerconfigjson"] = written["data"]![".dockerconfigjson"]!.DeepClone();
        await _scope.Admin.UpdateAsync($"/api/v1/namespaces/{_sources}/secrets/{SourceName}", existing);

        await _scope.WaitForRegistriesAsync(team, Registry);
        var target = (await _scope.GetSecretAsync(team))!;
        Assert.Equal([".dockerconfigjson"], target["data"]!.AsObject().Select(d => d.Key));
        Assert.Equal("merged", await PasswordAsync(team));
        Assert.Equal("rotated monthly", Encoding.UTF8.GetString(Convert.FromBase64String((string)(await _scope.GetSecretAsync(_sources, SourceName))!["data"]!["notes"]!)));
    }

    [Fact]
    public async Task DeletedAndRecreated_WithANewUid_TargetsFollowTheNewSecret()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        var first = await EsoWritesAsync("robot", "first");
        await _scope.WaitForRegistriesAsync(team, Registry);

        await _scope.Admin.DeleteAsync($"/api/v1/namespaces/{_sources}/secrets/{SourceName}");
        var second = await EsoWritesAsync("robot", "second");

        Assert.NotEqual((string?)first["metadata"]!["uid"], (string?)second["metadata"]!["uid"]);
        await Eventually.WaitUntilAsync(async () => await PasswordAsync(team) == "second", "the target follows the re-created Secret", diagnostics: _scope.Diagnostics);
        var origins = JsonNode.Parse((string)(await _scope.GetSecretAsync(team))!["metadata"]!["annotations"]!["pullsecret-webhook.io/origins"]!)!;
        Assert.Equal((string?)second["metadata"]!["uid"], (string?)origins[$"{_sources}/{SourceName}"]!["uid"]);
    }

    [Fact]
    public async Task TemplateError_KeepsTheLastGoodEntries_ReportsThem_AndSurvivesARestart()
    {
        var teams = new[] { await _scope.CreateNamespaceAsync("team"), await _scope.CreateNamespaceAsync("team") };
        await EsoWritesAsync("robot", "good");
        foreach (var team in teams)
        {
            await _scope.WaitForRegistriesAsync(team, Registry);
        }

        var good = (string?)(await _scope.GetSecretAsync(teams[0]))!["data"]![".dockerconfigjson"];
        var since = DateTimeOffset.UtcNow;

        // The provider is down and the template renders nothing, or half: the API server itself refuses a
        // kubernetes.io/dockerconfigjson Secret whose payload is not JSON, so such a write fails and changes nothing.
        foreach (var unparsable in new[] { "", """{"auths":{"harbor.example.com":""" })
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => EsoWritesRawAsync(unparsable));
            Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        }

        // What gets through is JSON the kubelet cannot use: here a template that rendered an empty map.
        await EsoWritesRawAsync("{}");

        await Eventually.WaitUntilAsync(
            async () => (await _scope.EventsAboutAsync(_sources, SourceName)).Any(e => e.Contains("InvalidSource", StringComparison.Ordinal) && e.Contains("last good entries (harbor.example.com) are kept", StringComparison.Ordinal)),
            "the Warning Event says the last good entries are kept", diagnostics: _scope.Diagnostics);
        await Eventually.WaitUntilAsync(async () => await KeptInAsync(_product) >= teams.Length, "/status counts the namespaces keeping them");
        Assert.Equal(1, await _product.MetricAsync("pullsecret_webhook_sources_invalid_kept"));
        foreach (var team in teams)
        {
            Assert.Equal(good, (string?)(await _scope.GetSecretAsync(team))!["data"]![".dockerconfigjson"]);
        }

        // Broken differently, and the product restarted meanwhile: the targets themselves hold what was last good.
        await EsoWritesRawAsync(BadAuth);
        await _product.StopAsync();
        _product = await _scope.StartProductAsync(_sources);
        await Eventually.WaitUntilAsync(async () => await KeptInAsync(_product) >= teams.Length, "the restarted product keeps them too", diagnostics: _scope.Diagnostics);
        Assert.Equal(1, await _product.MetricAsync("pullsecret_webhook_sources_invalid_kept"));
        foreach (var team in teams)
        {
            Assert.Equal(good, (string?)(await _scope.GetSecretAsync(team))!["data"]![".dockerconfigjson"]);
        }

        Assert.DoesNotContain(TargetWritesSince(since), w => teams.Contains(w.Namespace));

        // The provider is back with a new password: it reaches every namespace.
        await EsoWritesAsync("robot", "recovered");
        foreach (var team in teams)
        {
            await Eventually.WaitUntilAsync(async () => await PasswordAsync(team) == "recovered", $"the recovered source reaches {team}", diagnostics: _scope.Diagnostics);
        }

        await Eventually.WaitUntilAsync(async () => await _product.MetricAsync("pullsecret_webhook_sources_invalid_kept") == 0, "the gauge is back to 0");
    }

    [Fact]
    public async Task InvalidSource_Unexported_RemovesItsLastGoodEntries()
    {
        var team = await _scope.CreateNamespaceAsync("team");
        await EsoWritesAsync("robot", "good");
        await _scope.WaitForRegistriesAsync(team, Registry);
        await EsoWritesRawAsync(BadAuth);
        await Eventually.WaitUntilAsync(async () => await KeptInAsync(_product) >= 1, "the last good entries are kept", diagnostics: _scope.Diagnostics);

        var secret = (await _scope.GetSecretAsync(_sources, SourceName))!;
        secret["metadata"]!["labels"]!.AsObject().Remove(ClusterScope.ExportLabel);
        await _scope.Admin.UpdateAsync($"/api/v1/namespaces/{_sources}/secrets/{SourceName}", secret);

        await _scope.WaitForNoTargetAsync(team);
    }

    /// <summary>Plays ESO: renders the recipe's template for these provider values and creates or updates the
    /// Secret (an update carries the resourceVersion read just before, as a controller's does).</summary>
    private async Task<JsonObject> EsoWritesAsync(string username, string password, string? stamp = null)
    {
        var secret = ToolObjects.EsoSecret(_externalSecret, ToolObjects.RenderAuths(Registry, username, password));
        if (stamp is not null)
        {
            secret["metadata"]!["annotations"]!["example.com/refreshed"] = stamp;
        }

        return await PutAsync(secret);
    }

    private async Task EsoWritesRawAsync(string dockerConfigJson)
    {
        var secret = ToolObjects.EsoSecret(_externalSecret, ToolObjects.RenderAuths(Registry, "robot", "unused"));
        secret["data"]![".dockerconfigjson"] = Base64(dockerConfigJson);
        await PutAsync(secret);
    }

    private async Task<JsonObject> PutAsync(JsonObject secret)
    {
        var path = $"/api/v1/namespaces/{_sources}/secrets/{SourceName}";
        if (await _scope.Admin.GetAsync(path) is { } existing)
        {
            secret["metadata"]!["resourceVersion"] = existing["metadata"]!["resourceVersion"]!.DeepClone();
            return await _scope.Admin.UpdateAsync(path, secret);
        }

        return await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_sources}/secrets", secret);
    }

    private List<ControlPlane.AuditRecord> TargetWritesSince(DateTimeOffset since) =>
        [.. _scope.AuditSinceStart().Where(r => r.Received >= since && r.IsWrite && r.Resource == "secrets" && r.Name == ClusterScope.Target && r.Code is >= 200 and < 300)];

    private async Task<int> KeptInAsync(ProductProcess product) =>
        (int?)(await product.StatusAsync())["sources"]!.AsArray().SingleOrDefault(s => (string?)s!["source"] == $"{_sources}/{SourceName}")?["lastGoodKeptIn"] ?? 0;

    private async Task<string?> PasswordAsync(string ns)
    {
        var data = (string?)(await _scope.GetSecretAsync(ns))?["data"]?[".dockerconfigjson"];
        return data is null ? null : (string?)JsonNode.Parse(Convert.FromBase64String(data))!["auths"]![Registry]?["password"];
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}

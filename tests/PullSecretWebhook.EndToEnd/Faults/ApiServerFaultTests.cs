using System.Net;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.ControlPlane;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Faults;

/// <summary>Faults a real API server makes: killed and restarted mid-watch, etcd compacted under a disconnected
/// client (410 Gone on resume), watches ended by their timeout.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class ApiServerFaultTests(ControlPlaneFixture fixture, ITestOutputHelper output)
{
    /// <summary>The informer's line for a relist after a 410 (an ERROR event in the watch, as the real server sends it).</summary>
    private const string Relisting = "(410 Gone, Expired); relisting";

    /// <summary>Any relist, whatever broke the watch.</summary>
    private const string AnyRelist = "); relisting";

    [Fact]
    public async Task ApiServerKilledMidWatch_ProductReconnectsAndAppliesWhatChangesAfter()
    {
        await using var scope = fixture.NewScope(output);
        var sources = await scope.CreateNamespaceAsync("src");
        var team = await scope.CreateNamespaceAsync("team");
        await scope.PutSourceAsync(sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "pw")));
        var product = await scope.StartProductAsync(sources);
        await scope.WaitForRegistriesAsync(team, "harbor.example.com");

        await fixture.Plane.RestartApiServerAsync();
        await scope.PutSourceAsync(sources, "ghcr", ClusterScope.DockerConfig(("ghcr.io", "bot", "pw")));
        var later = await scope.CreateNamespaceAsync("team");

        await scope.WaitForRegistriesAsync(team, "ghcr.io", "harbor.example.com");
        await scope.WaitForRegistriesAsync(later, "ghcr.io", "harbor.example.com");
        Assert.False(product.Process.HasExited);
        Assert.True(await product.IsReadyAsync());
    }

    [Fact]
    public async Task ChangesWhileDisconnected_AreAppliedOnReconnect()
    {
        await using var relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, fixture.Plane.ApiServerPort));
        await using var scope = fixture.NewScope(output);
        var sources = await scope.CreateNamespaceAsync("src");
        var team = await scope.CreateNamespaceAsync("team");
        await scope.PutSourceAsync(sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "pw")));
        await scope.StartProductAsync(sources, kubeconfig: fixture.Plane.ProductKubeconfigVia(relay.Port));
        await scope.WaitForRegistriesAsync(team, "harbor.example.com");

        relay.Cut();
        await scope.PutSourceAsync(sources, "ghcr", ClusterScope.DockerConfig(("ghcr.io", "bot", "pw")));
        await scope.Admin.DeleteAsync($"/api/v1/namespaces/{team}/secrets/{ClusterScope.Target}");
        var created = await scope.CreateNamespaceAsync("team");
        relay.Restore();

        await scope.WaitForRegistriesAsync(team, "ghcr.io", "harbor.example.com");
        await scope.WaitForRegistriesAsync(created, "ghcr.io", "harbor.example.com");
    }

    [Fact]
    public async Task WatchesEndedByTheirTimeout_AreResumedWithoutRelisting()
    {
        await using var scope = fixture.NewScope(output);
        var sources = await scope.CreateNamespaceAsync("src");
        var team = await scope.CreateNamespaceAsync("team");
        await scope.PutSourceAsync(sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "pw")));
        var product = await scope.StartProductAsync(sources, new Dictionary<string, string> { ["Kube:WatchTimeout"] = "00:00:01" });
        await scope.WaitForRegistriesAsync(team, "harbor.example.com");

        // Each informer's watch is ended by the server after 1-2 s and resumed from its resourceVersion.
        await Eventually.WaitUntilAsync(() => WatchesOf(scope, "namespaces").Count >= 4, "the namespace watch was renewed several times", TimeSpan.FromSeconds(30));
        await scope.PutSourceAsync(sources, "ghcr", ClusterScope.DockerConfig(("ghcr.io", "bot", "pw")));
        await scope.WaitForRegistriesAsync(team, "ghcr.io", "harbor.example.com");

        var watches = WatchesOf(scope, "namespaces");
        output.WriteLine($"{watches.Count} namespace watches, {scope.AuditSinceStart().Count(r => r.Verb == "list" && r.Resource == "namespaces")} namespace list(s)");
        Assert.All(watches, w => Assert.Contains("resourceVersion=", w.Uri, StringComparison.Ordinal));
        Assert.Single(scope.AuditSinceStart(), r => r.Verb == "list" && r.Resource == "namespaces");
        Assert.False(product.Process.Wrote(AnyRelist));
    }

    [Fact]
    public async Task EtcdCompactedWhileDisconnected_ResumeMeets410AndTheProductRelists()
    {
        // Without the watch cache every watch is served by etcd, so a resume from a compacted revision is answered
        // 410 Gone by etcd itself (with the cache, the API server's restart is what expires resourceVersions).
        await using var plane = await KubeControlPlane.StartAsync(new ControlPlaneOptions { WatchCache = false });
        var install = await DeployInstall.ApplyAsync(plane, "deploy/overlays/self-managed");
        await using var relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, plane.ApiServerPort));
        await using var scope = new ClusterScope(plane, install, output);
        var sources = await scope.CreateNamespaceAsync("src");
        var team = await scope.CreateNamespaceAsync("team");
        await scope.PutSourceAsync(sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "pw")));
        var product = await scope.StartProductAsync(sources, kubeconfig: plane.ProductKubeconfigVia(relay.Port));
        await scope.WaitForRegistriesAsync(team, "harbor.example.com");

        relay.Cut();
        await scope.PutSourceAsync(sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "rotated")));
        var created = await scope.CreateNamespaceAsync("team");
        var compactedAt = await plane.CompactEtcdAsync();
        output.WriteLine($"etcd compacted at revision {compactedAt}");
        relay.Restore();

        await scope.WaitForRegistriesAsync(created, "harbor.example.com");
        await Eventually.WaitUntilAsync(async () => await PasswordAsync(scope, team) == "rotated", "the rotation made while disconnected arrives", diagnostics: scope.Diagnostics);
        await Eventually.WaitUntilAsync(() => product.Process.Wrote(Relisting), "the product logged the 410 and its relist", diagnostics: scope.Diagnostics);
    }

    private static List<AuditRecord> WatchesOf(ClusterScope scope, string resource) =>
        [.. scope.AuditSinceStart().Where(r => r.Verb == "watch" && r.Resource == resource)];

    private static async Task<string?> PasswordAsync(ClusterScope scope, string ns)
    {
        var data = (string?)(await scope.GetSecretAsync(ns))?["data"]?[".dockerconfigjson"];
        return data is null ? null : (string?)JsonNode.Parse(Convert.FromBase64String(data))!["auths"]!["harbor.example.com"]?["password"];
    }
}

using System.Diagnostics;
using PullSecretWebhook.EndToEnd.Product;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Leadership;

/// <summary>Two replicas against the real API server: only the Lease holder writes (the audit log tells the replicas
/// apart by their user agents), and a leader killed with <c>kill -9</c> is replaced within the lease duration.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class LeaderElectionTests(ControlPlaneFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task TwoReplicas_OnlyTheLeaseHolderWrites_AndAKilledLeaderIsReplacedWithinTheLeaseDuration()
    {
        await using var scope = fixture.NewScope(output);
        var sources = await scope.CreateNamespaceAsync("src");
        await scope.PutSourceAsync(sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "pw")));
        var replicas = new Dictionary<string, ProductProcess>
        {
            // The first serves the webhook on the Service's address; the second elsewhere (one port, one listener).
            ["replica-a"] = await scope.StartProductAsync(sources, Agent("replica-a"), podName: "replica-a"),
            ["replica-b"] = await scope.StartProductAsync(sources, Agent("replica-b"), podName: "replica-b", url: new Uri($"https://127.0.0.1:{Tools.FreeLoopbackPort()}")),
        };
        // The identity is the Pod name plus a random suffix (a restarted Pod never mistakes itself for its predecessor).
        var leaderIdentity = await HolderAsync(scope, null);
        var leader = ReplicaOf(leaderIdentity);
        var follower = replicas.Keys.Single(k => k != leader);

        var teams = new[] { await scope.CreateNamespaceAsync("team"), await scope.CreateNamespaceAsync("team") };
        await scope.PutSourceAsync(sources, "ghcr", ClusterScope.DockerConfig(("ghcr.io", "bot", "pw")));
        foreach (var team in teams)
        {
            await scope.WaitForRegistriesAsync(team, "ghcr.io", "harbor.example.com");
        }

        var writes = SecretWrites(scope);
        Assert.NotEmpty(writes);
        Assert.All(writes, w => Assert.Equal(Agent(leader)["Kube:UserAgent"], w.UserAgent));

        // kill -9: no Lease release; the follower must wait out the lease, then take over.
        var killedAt = Stopwatch.StartNew();
        await replicas[leader].Process.KillAsync();
        Assert.Equal(follower, ReplicaOf(await HolderAsync(scope, leaderIdentity)));
        var takeover = killedAt.Elapsed;
        output.WriteLine($"{follower} took over {takeover.TotalSeconds:F1} s after {leader} was killed (lease duration {LeaseDuration.TotalSeconds} s, retry period {RetryPeriod.TotalSeconds} s)");
        Assert.True(takeover <= LeaseDuration + (2 * RetryPeriod), $"takeover took {takeover}");

        var later = await scope.CreateNamespaceAsync("team");
        await scope.WaitForRegistriesAsync(later, "ghcr.io", "harbor.example.com");
        var after = SecretWrites(scope).Where(w => w.Namespace == later).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, w => Assert.Equal(Agent(follower)["Kube:UserAgent"], w.UserAgent));
    }

    private static string ReplicaOf(string identity) => identity[..identity.LastIndexOf('_')];

    private static Dictionary<string, string> Agent(string replica) => new() { ["Kube:UserAgent"] = $"pullsecret-webhook-e2e/{replica}" };

    private static List<ControlPlane.AuditRecord> SecretWrites(ClusterScope scope) =>
        [.. scope.AuditSinceStart().Where(r => r.IsWrite && r.Resource == "secrets" && r.Code is >= 200 and < 300 && r.Name == ClusterScope.Target)];

    /// <summary>Waits for the Lease to name a holder other than <paramref name="not"/> and returns it.</summary>
    private static async Task<string> HolderAsync(ClusterScope scope, string? not)
    {
        string? holder = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            var lease = await scope.Admin.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{ControlPlane.KubeControlPlane.ProductNamespace}/leases/pullsecret-webhook");
            holder = (string?)lease?["spec"]?["holderIdentity"];
            return holder is { Length: > 0 } && holder != not;
        }, "a replica holds the Lease", LeaseDuration * 3, scope.Diagnostics);
        return holder!;
    }

}

using FakeKubeApiServer;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>Convergence under API faults, and leader election between replicas.</summary>
public sealed class FaultAndFailoverTests
{
    [Fact]
    public async Task UnderInjectedFaults_ConvergesToTheSameFinalState()
    {
        await using var cluster = await ReconcilerHarness.StartAsync(new FakeApiServerOptions { HistorySize = 20 });
        cluster.CreateNamespace("team-a");
        cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "v1")));
        cluster.Fake.Faults.FailNext(3, "create", "/secrets", 500);
        cluster.Fake.Faults.FailNext(2, "list", "/namespaces", 503);
        cluster.StartServer();
        await cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");

        cluster.Fake.Faults.FailNext(2, "patch", "/secrets", 429, TimeSpan.FromSeconds(1));
        cluster.Fake.Faults.FailNext(1, "create", "/secrets", 409);
        cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "v2")));
        cluster.CreateNamespace("team-b");
        cluster.Fake.CloseAllWatches();
        cluster.Fake.ForgetHistory();
        for (var i = 0; i < 30; i++)
        {
            cluster.CreateNamespace($"churn-{i}"); // pushes older versions out of the small history
        }

        await cluster.Fake.RestartAsync();
        cluster.PutSource("ghcr", ReconcilerHarness.DockerConfig(("ghcr.io", "bot", "pw")));

        foreach (var ns in new[] { "team-a", "team-b", "churn-0", "churn-29" })
        {
            await cluster.WaitForRegistriesAsync(ns, "ghcr.io", "harbor.example.com");
            await Eventually.WaitUntilAsync(() => Auth(cluster, ns) == "robot:v2", $"{ns} has the rotated credential");
        }

        // Writes stay proportional to changes: no storm from the faults.
        Assert.True(cluster.Fake.Requests.Writes.Count(w => w.Resource == "secrets") < 4 * 36, "too many writes");
    }

    [Fact]
    public async Task TwoReplicas_OnlyTheLeaderWrites_AndStoppingItHandsOver()
    {
        var options = new FakeApiServerOptions();
        options.Tokens["token-a"] = "replica-a";
        options.Tokens["token-b"] = "replica-b";
        await using var cluster = await ReconcilerHarness.StartAsync(options);
        cluster.CreateNamespace("team-a");
        cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));

        var a = cluster.StartServer(new() { ["POD_NAME"] = "replica-a" }, token: "token-a");
        var b = cluster.StartServer(new() { ["POD_NAME"] = "replica-b" }, token: "token-b");
        await cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");

        var holder = await LeaseHolderAsync(cluster);
        var (leader, follower, leaderUser, followerUser) = holder.StartsWith("replica-a", StringComparison.Ordinal)
            ? (a, b, "replica-a", "replica-b")
            : (b, a, "replica-b", "replica-a");
        Assert.All(SecretWrites(cluster), w => Assert.Equal(leaderUser, w.User));

        await leader.DisposeAsync(); // graceful stop releases the Lease
        await Eventually.WaitUntilAsync(() => LeaseHolder(cluster)?.StartsWith(followerUser, StringComparison.Ordinal) == true, "the follower takes the lease", TimeSpan.FromSeconds(20));
        cluster.CreateNamespace("team-b");

        await cluster.WaitForRegistriesAsync("team-b", "harbor.example.com");
        var teamBWrites = SecretWrites(cluster).Where(w => w.Namespace == "team-b").ToList();
        Assert.NotEmpty(teamBWrites);
        Assert.All(teamBWrites, w => Assert.Equal(followerUser, w.User));
        GC.KeepAlive(follower);
    }

    private static IEnumerable<RequestLogEntry> SecretWrites(ReconcilerHarness cluster) =>
        cluster.Fake.Requests.Writes.Where(w => w.Resource == "secrets");

    private static string? LeaseHolder(ReconcilerHarness cluster) =>
        (string?)cluster.Fake.Store.Get("coordination.k8s.io/v1", "leases", ReconcilerHarness.SourceNamespace, "pullsecret-webhook")?["spec"]?["holderIdentity"];

    private static async Task<string> LeaseHolderAsync(ReconcilerHarness cluster)
    {
        await Eventually.WaitUntilAsync(() => !string.IsNullOrEmpty(LeaseHolder(cluster)), "someone holds the lease");
        return LeaseHolder(cluster)!;
    }

    private static string? Auth(ReconcilerHarness cluster, string ns)
    {
        var auth = (string?)cluster.TargetConfig(ns)?["auths"]?["harbor.example.com"]?["auth"];
        return auth is null ? null : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(auth));
    }
}

using System.Diagnostics;
using FakeKubeApiServer;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hardening;

/// <summary>Leader failover when the leader dies without releasing the Lease: two real server processes against the
/// fake API server, the leader killed while namespaces churn. The follower takes over once the lease expires and
/// converges, and the request log never shows the two writing at the same time.</summary>
public sealed class AbruptFailoverTests
{
    [Fact]
    public async Task LeaderKilled_FollowerTakesOverWithinTheLease_AndWritersNeverOverlap()
    {
        var options = new FakeApiServerOptions();
        options.Tokens["token-a"] = "replica-a";
        options.Tokens["token-b"] = "replica-b";
        await using var cluster = await ReconcilerHarness.StartAsync(options);
        cluster.CreateNamespace("team-0");
        cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        using var directory = new TempDirectory();

        var a = StartReplica(cluster, directory, "replica-a", "token-a");
        var b = StartReplica(cluster, directory, "replica-b", "token-b");
        try
        {
            await cluster.WaitForRegistriesAsync("team-0", "harbor.example.com");
            var holder = LeaseHolder(cluster)!;
            var (leader, leaderUser, followerUser) = holder.StartsWith("replica-a", StringComparison.Ordinal) ? (a, "replica-a", "replica-b") : (b, "replica-b", "replica-a");

            // Churn while the leader dies: namespaces keep arriving.
            for (var i = 1; i <= 3; i++)
            {
                cluster.CreateNamespace($"team-{i}");
            }

            leader.Kill(entireProcessTree: true); // no graceful release: the follower must wait for the lease to expire
            await leader.WaitForExitAsync();
            var killedAt = DateTimeOffset.UtcNow;
            for (var i = 4; i <= 6; i++)
            {
                cluster.CreateNamespace($"team-{i}");
            }

            await Eventually.WaitUntilAsync(() => LeaseHolder(cluster)?.StartsWith(followerUser, StringComparison.Ordinal) == true, "the follower holds the lease", TimeSpan.FromSeconds(30));
            for (var i = 0; i <= 6; i++)
            {
                await cluster.WaitForRegistriesAsync($"team-{i}", "harbor.example.com");
            }

            var writes = cluster.Fake.Requests.Writes.Where(w => w.Resource == "secrets").OrderBy(w => w.Time).ToList();
            Assert.Contains(writes, w => w.User == followerUser);
            // Never two writers at once: once the follower has written, the old leader never writes again.
            var firstFollowerWrite = writes.First(w => w.User == followerUser).Time;
            Assert.DoesNotContain(writes, w => w.User == leaderUser && w.Time > firstFollowerWrite);
            Assert.All(writes.Where(w => w.User == followerUser), w => Assert.True(w.Time >= killedAt.AddSeconds(-1), "the follower wrote before the leader died"));
        }
        finally
        {
            foreach (var process in new[] { a, b })
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                process.Dispose();
            }
        }
    }

    private static Process StartReplica(ReconcilerHarness cluster, TempDirectory directory, string name, string token)
    {
        var kubeconfig = cluster.Fake.WriteKubeconfig(Path.Combine(directory.Path, $"{name}.kubeconfig"), token);
        var process = ServerProcess.Start(
            ["--urls=https://127.0.0.1:0", "--LeaderElection:LeaseDuration=00:00:03", "--LeaderElection:RenewDeadline=00:00:02", "--LeaderElection:RetryPeriod=00:00:00.5", "--Reconciler:RetryBaseDelay=00:00:00.05", "--Kube:Qps=1000", "--Kube:Burst=1000"],
            new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfig, ["POD_NAMESPACE"] = ReconcilerHarness.SourceNamespace, ["POD_NAME"] = name });
        // Drain the output so the process never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string? LeaseHolder(ReconcilerHarness cluster) =>
        (string?)cluster.Fake.Store.Get("coordination.k8s.io/v1", "leases", ReconcilerHarness.SourceNamespace, "pullsecret-webhook")?["spec"]?["holderIdentity"];
}

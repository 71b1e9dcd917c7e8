using System.Text;
using System.Text.Json.Nodes;
using FakeKubeApiServer;
using PullSecretWebhook.Tests.Hardening.Support;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;
using Xunit.Abstractions;

namespace PullSecretWebhook.Tests.Hardening;

/// <summary>A short chaos run (the long one is bench/hardening): namespaces and sources churn while the fake API
/// server fails requests (5xx, 429 with Retry-After), slows down, closes watches, forgets its history (410) and
/// restarts. Afterwards every namespace converges to the state the test computes on its own, no Secret that is not
/// ours was ever written, writes stayed proportional to changes, and memory did not grow without bound.
/// <c>PSW_CHAOS_SEED</c> reproduces a run, <c>PSW_CHAOS_STEPS</c> lengthens it.</summary>
[Collection(HeapMeasuringTests.Name)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    private static readonly string[] Registries = ["a.example.com", "b.example.com", "c.example.com", "d.example.com/team"];
    private static readonly string[] SourceNames = ["s1", "s2", "s3", "s4"];
    private const long HeapGrowthBound = 96L * 1024 * 1024;

    [Fact]
    public async Task Chaos_UnderChurnAndFaults_ConvergesToTheDesiredStateWithoutTouchingOthersSecrets()
    {
        var seed = FuzzRandom.Seed("PSW_CHAOS_SEED");
        var steps = FuzzRandom.Count("PSW_CHAOS_STEPS", 80);
        var random = new Random(seed);
        var reproduce = $"reproduce with PSW_CHAOS_SEED={seed} PSW_CHAOS_STEPS={steps}";
        await using var cluster = await ReconcilerHarness.StartAsync(new FakeApiServerOptions { HistorySize = 30 });
        var expected = new ExpectedTargets(ReconcilerHarness.SourceNamespace);
        var namespaces = new List<string>();
        var decoys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            namespaces.Add(CreateNamespace(cluster, $"decoy-{i}"));
            var decoy = cluster.PutSecret($"decoy-{i}", ReconcilerHarness.Target, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = ReconcilerHarness.Target, ["namespace"] = $"decoy-{i}" },
                ["type"] = i == 0 ? "Opaque" : "kubernetes.io/dockerconfigjson",
                ["data"] = new JsonObject { [i == 0 ? "token" : ".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"auths\":{}}")) },
            });
            decoys[$"decoy-{i}"] = (string)decoy["metadata"]!["resourceVersion"]!;
        }

        for (var i = 0; i < 4; i++)
        {
            namespaces.Add(CreateNamespace(cluster, $"chaos-{i}"));
        }

        PutSource(cluster, expected, random, "s1");
        cluster.StartServer();
        var heapBefore = Heap();
        var (changes, faults, writeBudget) = (0, 0, 0);

        for (var step = 0; step < steps; step++)
        {
            if (step == steps / 2)
            {
                await cluster.Fake.RestartAsync();
                faults++;
            }

            switch (random.Next(10))
            {
                case 0 or 1:
                    namespaces.Add(CreateNamespace(cluster, $"chaos-{namespaces.Count}"));
                    writeBudget += 1;
                    changes++;
                    break;
                case 2:
                    var ns = namespaces[random.Next(namespaces.Count)];
                    expected.OptedOut[ns] = !expected.OptedOut.GetValueOrDefault(ns);
                    cluster.LabelNamespace(ns, expected.OptedOut[ns] ? new() { ["pullsecret-webhook.io/inject"] = "false" } : []);
                    writeBudget += 1;
                    changes++;
                    break;
                case 3 or 4:
                    PutSource(cluster, expected, random, SourceNames[random.Next(SourceNames.Length)]);
                    writeBudget += namespaces.Count;
                    changes++;
                    break;
                case 5:
                    var gone = SourceNames[random.Next(SourceNames.Length)];
                    if (expected.Sources.Remove(gone))
                    {
                        cluster.Fake.Store.Delete("v1", "secrets", ReconcilerHarness.SourceNamespace, gone);
                        writeBudget += namespaces.Count;
                        changes++;
                    }

                    break;
                case 6:
                    string[] verbs = ["create", "update", "patch", "delete", "list", "watch", "get"];
                    cluster.Fake.Faults.FailNext(random.Next(1, 4), verbs[random.Next(verbs.Length)], random.Next(2) == 0 ? "/secrets" : "/namespaces", random.Next(2) == 0 ? 500 : 503);
                    faults++;
                    break;
                case 7:
                    cluster.Fake.Faults.FailNext(random.Next(1, 3), null, "/secrets", 429, TimeSpan.FromSeconds(1));
                    faults++;
                    break;
                case 8:
                    cluster.Fake.CloseAllWatches();
                    faults++;
                    break;
                default:
                    cluster.Fake.ForgetHistory();
                    if (random.Next(4) == 0)
                    {
                        cluster.Fake.Faults.AddLatency(TimeSpan.FromMilliseconds(random.Next(5, 40)));
                    }

                    faults++;
                    break;
            }

            // Pacing the churn (not waiting for an outcome): changes arrive while earlier ones are in flight.
            await Task.Delay(random.Next(0, 60));
        }

        cluster.Fake.Faults.Clear();
        await Eventually.WaitUntilAsync(() => Mismatches(cluster, expected, namespaces, decoys).Count == 0, "every namespace has its desired target", TimeSpan.FromSeconds(60));
        var heapAfter = Heap();
        var writes = SuccessfulTargetWrites(cluster);
        output.WriteLine($"seed {seed}: {steps} steps, {changes} changes, {faults} faults, {namespaces.Count} namespaces; {writes.Count} target writes (budget {writeBudget + namespaces.Count}); heap {heapBefore / 1024} KiB -> {heapAfter / 1024} KiB");

        // Never a write to a Secret that is not ours.
        var touched = cluster.Fake.Requests.Writes.Where(w => w.Resource == "secrets" && w.Namespace is { } n && decoys.ContainsKey(n)).ToList();
        Assert.True(touched.Count == 0, $"{reproduce}: wrote unmanaged Secrets: {string.Join(", ", touched.Select(t => $"{t.Verb} {t.Namespace}/{t.Name}"))}");
        Assert.True(writes.Count <= writeBudget + namespaces.Count, $"{reproduce}: {writes.Count} writes for {changes} changes (budget {writeBudget + namespaces.Count})");
        Assert.True(heapAfter - heapBefore < HeapGrowthBound, $"{reproduce}: heap grew from {heapBefore} to {heapAfter}");

        // At rest, only a new namespace causes writes, and only in that namespace.
        var before = cluster.Fake.Requests.Writes.Count;
        CreateNamespace(cluster, "probe");
        var probeExpected = expected.For("probe");
        await Eventually.WaitUntilAsync(() => probeExpected is null || cluster.GetSecret("probe") is not null, "the probe namespace is served");
        var since = cluster.Fake.Requests.Writes.Skip(before).Where(w => w.Resource == "secrets").ToList();
        Assert.All(since, w => Assert.Equal("probe", w.Namespace));
    }

    private static string CreateNamespace(ReconcilerHarness cluster, string name)
    {
        cluster.CreateNamespace(name);
        return name;
    }

    private static void PutSource(ReconcilerHarness cluster, ExpectedTargets expected, Random random, string name)
    {
        var auths = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = Registries.Where(_ => random.Next(2) == 0).DefaultIfEmpty(Registries[0])
            .Select(r => (Registry: r, User: name, Password: $"pw-{random.Next()}")).ToArray();
        foreach (var (registry, user, password) in entries)
        {
            auths[registry] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        }

        string?[] scopes = [null, null, "chaos-1,chaos-3,decoy-1", "chaos-*", "chaos-1*"];
        var scope = scopes[random.Next(scopes.Length)];
        cluster.PutSource(name, ReconcilerHarness.DockerConfig(entries), annotations: scope is null ? null : new() { ["pullsecret-webhook.io/to-namespaces"] = scope });
        expected.Sources[name] = (auths, scope);
    }

    /// <summary>Namespaces whose target differs from the expectation (decoys: if they changed at all).</summary>
    private static List<string> Mismatches(ReconcilerHarness cluster, ExpectedTargets expected, List<string> namespaces, Dictionary<string, string> decoys)
    {
        var wrong = new List<string>();
        foreach (var ns in namespaces)
        {
            var secret = cluster.GetSecret(ns);
            if (decoys.TryGetValue(ns, out var version))
            {
                if ((string?)secret?["metadata"]?["resourceVersion"] != version)
                {
                    wrong.Add(ns);
                }

                continue;
            }

            var want = expected.For(ns);
            var have = cluster.TargetConfig(ns)?["auths"]?.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value?["auth"], StringComparer.Ordinal);
            var same = want is null
                ? secret is null
                : have is not null && have.Count == want.Count && want.All(w => have.GetValueOrDefault(w.Key) == w.Value)
                  && (string?)secret?["metadata"]?["labels"]?["app.kubernetes.io/managed-by"] == "pullsecret-webhook";
            if (!same)
            {
                wrong.Add(ns);
            }
        }

        return wrong;
    }

    private static List<RequestLogEntry> SuccessfulTargetWrites(ReconcilerHarness cluster) =>
        [.. cluster.Fake.Requests.Writes.Where(w => w.Resource == "secrets" && w.Name == ReconcilerHarness.Target && w.Status < 300)];

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

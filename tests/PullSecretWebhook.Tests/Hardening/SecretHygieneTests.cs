using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hardening;

/// <summary>Credentials never appear in logs (at Debug), metrics, <c>/status</c>, Events or error bodies, and are never
/// written to disk (README, "Reliability and security"): a full run with distinctive passwords, auth values and tokens
/// — valid, colliding, invalid, exported from the wrong namespace, in a conflicting Secret, inside Pods sent to the
/// webhook — then a search of everything the server produced.</summary>
public sealed class SecretHygieneTests
{
    private static readonly string Run = Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task FullRun_AtDebug_NoPasswordAuthOrTokenAppearsInAnythingTheServerWrote()
    {
        var before = DiskSnapshot.Take();
        var secrets = new List<string>();
        string Secret(string what)
        {
            var value = $"{what}-{Run}-{secrets.Count}";
            secrets.Add(value);
            return value;
        }

        await using var cluster = await ReconcilerHarness.StartAsync();
        cluster.CreateNamespace("team-a");
        cluster.CreateNamespace("team-b", new() { ["env"] = "prod" });
        cluster.CreateNamespace("team-c");
        cluster.CreateNamespace("tenant");

        // Valid sources that collide on one registry; every credential field of the format is used.
        cluster.PutSource("harbor", Config(("harbor.example.com", "robot", Secret("pw-harbor")), ("shared.example.com", "robot", Secret("pw-shared-1")), Secret("identity"), Secret("registrytoken")));
        cluster.PutSource("ghcr", Config(("ghcr.io", "bot", Secret("pw-ghcr")), ("shared.example.com", "bot", Secret("pw-shared-2")), null, null));
        // Invalid sources: a bad base64 auth whose text is itself secret, JSON that is not a config, a legacy key.
        var badAuth = Secret("notbase64!");
        cluster.PutSource("broken-auth", $"{{\"auths\":{{\"bad.example.com\":{{\"auth\":\"{badAuth}\",\"password\":\"{Secret("pw-broken")}\"}}}}}}");
        cluster.PutSource("broken-json", $"{{\"auths\":[\"{Secret("pw-in-array")}\"");
        cluster.PutSource("broken-type", Config(("legacy.example.com", "u", Secret("pw-legacy")), null, null), type: "Opaque");
        // A tenant exporting from a namespace that is not a source.
        cluster.PutSource("pushed", Config(("evil.example.com", "tenant", Secret("pw-tenant")), null, null), ns: "tenant");
        // Someone else's Secret with the target name.
        cluster.PutSecret("team-c", ReconcilerHarness.Target, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = ReconcilerHarness.Target, ["namespace"] = "team-c" },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Base64(Config(("their.example.com", "them", Secret("pw-theirs")), null, null)) },
        });

        var logs = new FakeLoggerProvider();
        var server = cluster.StartServer(
            new() { ["Logging:LogLevel:Default"] = "Debug", ["Logging:LogLevel:Microsoft"] = "Debug", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug" },
            services: s => s.AddLogging(l => l.AddProvider(logs)));
        await cluster.WaitForRegistriesAsync("team-a", "ghcr.io", "harbor.example.com", "shared.example.com");
        await Eventually.WaitUntilAsync(() => AllEvents(cluster).Any(e => e.Contains("TargetConflict", StringComparison.Ordinal)), "the conflict is reported");
        await Eventually.WaitUntilAsync(() => AllEvents(cluster).Any(e => e.Contains("RegistryCollision", StringComparison.Ordinal)), "the collision is reported");

        // Rotate a password, so that update paths log too, and drive the webhook with secrets inside Pods and bad bodies.
        cluster.PutSource("ghcr", Config(("ghcr.io", "bot", Secret("pw-ghcr-rotated")), null, null));
        await Eventually.WaitUntilAsync(() => Decoded(cluster, "team-a").Contains(secrets[^1], StringComparison.Ordinal), "the rotated password is synced");
        using var client = server.CreateClient();
        var bodies = new StringBuilder();
        foreach (var body in WebhookBodies(Secret("pw-in-pod"), Secret("pw-in-bad-body")))
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri("/mutate", UriKind.Relative), content);
            bodies.AppendLine(await response.Content.ReadAsStringAsync());
        }

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var status = await client.GetStringAsync(new Uri("/status", UriKind.Relative));
        var logText = string.Join('\n', logs.Collector.GetSnapshot().Select(e => e.AllText()));
        var events = string.Join('\n', AllEvents(cluster));

        // Every form a credential could leak in: as written, its auth value, the whole payload as stored.
        var forbidden = secrets
            .Concat(secrets.Select(s => Convert.ToBase64String(Encoding.UTF8.GetBytes(s))))
            .Concat(secrets.SelectMany(s => new[] { $"robot:{s}", $"bot:{s}" }).Select(s => Convert.ToBase64String(Encoding.UTF8.GetBytes(s))))
            .Concat(cluster.Fake.Store.List("v1", "secrets").Select(s => (string?)s["data"]?[".dockerconfigjson"]).OfType<string>())
            .ToList();
        Assert.True(logs.Collector.GetSnapshot().Count(e => e.Level == LogLevel.Debug) > 10, "the run did not log at Debug");
        foreach (var (name, text) in new[] { ("logs", logText), ("metrics", metrics), ("status", status), ("events", events), ("error bodies", bodies.ToString()) })
        {
            var leaked = forbidden.FirstOrDefault(f => text.Contains(f, StringComparison.Ordinal));
            Assert.True(leaked is null, $"{name} contain a credential ({leaked})");
        }

        var scanned = AssertNothingOnDisk(forbidden, before);
        Assert.Contains(scanned, f => f.StartsWith(cluster.ScratchPath, StringComparison.Ordinal));
    }

    /// <summary>Every file created or changed during the run under the temp directory, the isolated HOME and the
    /// server's directories, searched for credentials; returns the files searched. Other tests write there
    /// concurrently; none of them know these values.</summary>
    private static List<string> AssertNothingOnDisk(IReadOnlyList<string> forbidden, DiskSnapshot before)
    {
        var scanned = new List<string>();
        foreach (var (file, _) in DiskSnapshot.Take().Files.Where(f => !before.Files.TryGetValue(f.Key, out var was) || was != f.Value))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            scanned.Add(file);
            var leaked = forbidden.FirstOrDefault(f => text.Contains(f, StringComparison.Ordinal));
            Assert.True(leaked is null, $"{file} contains a credential ({leaked})");
        }

        return scanned;
    }

    /// <summary>The regular files under the searched roots, each with its write time and length. "Written during the
    /// run" is a difference of two snapshots, not a comparison of write times with the test's clock: file times come
    /// from the kernel's coarse clock (up to a tick behind <see cref="DateTime.UtcNow"/>), and a machine whose wall
    /// clock is stepped back mid-run dates new files before the start (a CI run found no file "written since the
    /// start" at all).</summary>
    private sealed record DiskSnapshot(Dictionary<string, (DateTime WrittenAt, long Length)> Files)
    {
        private static readonly string[] Roots =
            [Path.GetTempPath(), AppContext.BaseDirectory, Directory.GetCurrentDirectory(), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)];

        public static DiskSnapshot Take()
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint, MaxRecursionDepth = 6 };
            var files = new Dictionary<string, (DateTime, long)>(StringComparer.Ordinal);
            foreach (var file in Roots.Where(Directory.Exists).SelectMany(root => Directory.EnumerateFiles(root, "*", options)))
            {
                try
                {
                    var info = new FileInfo(file);
                    // Sockets and FIFOs (diagnostic ports in the temp directory) have no length, and opening a FIFO
                    // would block: only regular files with content are read.
                    if (info.Length is > 0 and < 64 * 1024 * 1024)
                    {
                        files.TryAdd(file, (info.LastWriteTimeUtc, info.Length));
                    }
                }
                catch (IOException)
                {
                    // Deleted while listed.
                }
            }

            return new DiskSnapshot(files);
        }
    }

    private static IEnumerable<string> WebhookBodies(string inPod, string inBadBody)
    {
        var review = Reviews.PodCreate(ns: "team-a", annotations: new JsonObject { ["note"] = inPod });
        review["request"]!["object"]!["spec"]!["containers"]![0]!["env"] = new JsonArray(new JsonObject { ["name"] = "PASSWORD", ["value"] = inPod });
        yield return review.ToJsonString();
        yield return $"{{\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{{\"uid\":\"{inBadBody}\"";
        yield return $"{{\"apiVersion\":\"{inBadBody}\",\"request\":{{}}}}";
        yield return $"{{\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{{\"uid\":7,\"x\":\"{inBadBody}\"}}}}";
    }

    private static IEnumerable<string> AllEvents(ReconcilerHarness cluster) =>
        cluster.Fake.Store.List("v1", "events").Select(e => e.ToJsonString());

    private static string Decoded(ReconcilerHarness cluster, string ns) => cluster.TargetConfig(ns)?.ToJsonString() ?? "";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Config((string Registry, string User, string Password) first, (string Registry, string User, string Password)? second, string? identityToken, string? registryToken = null)
    {
        var auths = new JsonObject();
        foreach (var (registry, user, password) in second is { } s ? new[] { first, s } : [first])
        {
            var entry = new JsonObject { ["username"] = user, ["password"] = password, ["auth"] = Base64($"{user}:{password}") };
            if (identityToken is not null)
            {
                entry["identitytoken"] = identityToken;
            }

            if (registryToken is not null)
            {
                entry["registrytoken"] = registryToken;
            }

            auths[registry] = entry;
        }

        return new JsonObject { ["auths"] = auths }.ToJsonString();
    }

    private static string Config((string Registry, string User, string Password) only, string? identityToken, string? registryToken) =>
        Config(only, null, identityToken, registryToken);
}

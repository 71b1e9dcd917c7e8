using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hardening;

/// <summary>The reconciler against hostile sources: an enormous payload with thousands of keys, invalid base64,
/// JSON that is not an object, a source that flips between valid and invalid. Bounded work, clear reports, and the
/// targets it writes are always valid.</summary>
public sealed class HostileSourceTests : IAsyncLifetime
{
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task HostileSources_AreSkippedOrMergedBounded_AndEveryTargetStaysValid()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.CreateNamespace("team-b");
        var huge = new JsonObject();
        for (var i = 0; i < 3000; i++)
        {
            huge[$"registry-{i:D4}.example.com"] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"user{i}:password-{i}")), ["email"] = $"u{i}@example.com" };
        }

        _cluster.PutSource("good", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        _cluster.PutSource("huge", new JsonObject { ["auths"] = huge }.ToJsonString());
        _cluster.PutSource("bad-base64", """{"auths":{"x.example.com":{"auth":"%%%not-base64%%%"}}}""");
        _cluster.PutSource("array", "[1,2,3]");
        _cluster.PutSource("number", "42");
        _cluster.PutSource("flipping", ReconcilerHarness.DockerConfig(("flip.example.com", "v", "0")));
        _cluster.StartServer();

        await Eventually.WaitUntilAsync(() => _cluster.TargetRegistries("team-a").Count == 3002, "team-a has the good, huge and flipping keys", TimeSpan.FromSeconds(30));
        _cluster.Fake.Requests.Clear();

        // The source flips between valid and invalid as fast as it can be written; it ends valid with a new password.
        for (var i = 1; i <= 10; i++)
        {
            _cluster.PutSource("flipping", i % 2 == 0 ? ReconcilerHarness.DockerConfig(("flip.example.com", "v", $"{i}")) : "{broken");
        }

        await Eventually.WaitUntilAsync(() => FlipPassword("team-a") == "10" && FlipPassword("team-b") == "10", "both namespaces hold the final flip", TimeSpan.FromSeconds(30));

        foreach (var ns in new[] { "team-a", "team-b", "default" })
        {
            // Every target parses as the kubelet would read it, and holds exactly the usable sources' keys.
            var payload = Convert.FromBase64String((string)_cluster.GetSecret(ns)!["data"]![".dockerconfigjson"]!);
            var parsed = DockerConfigParser.Parse(payload, DockerConfigFormat.DockerConfigJson);
            Assert.True(parsed.IsValid, parsed.Problem);
            Assert.Equal(3002, parsed.Entries.Count);
        }

        // Bounded work: ten flips cost at most a write per flip per namespace, not a storm.
        var writes = _cluster.Fake.Requests.Writes.Count(w => w.Resource == "secrets");
        Assert.InRange(writes, 1, 10 * 3);
        // Events are posted by the leader as it reaches each source: wait for them rather than assume they are in.
        await Eventually.WaitUntilAsync(
            () => new HashSet<string?> { "bad-base64", "array", "number" }.IsSubsetOf(InvalidSourceEvents()),
            "an InvalidSource event on each invalid source");
    }

    private HashSet<string?> InvalidSourceEvents() =>
        _cluster.Fake.Store.List("v1", "events", ReconcilerHarness.SourceNamespace)
            .Where(e => (string?)e["reason"] == "InvalidSource")
            .Select(e => (string?)e["involvedObject"]!["name"])
            .ToHashSet();

    private string? FlipPassword(string ns)
    {
        var auth = (string?)_cluster.TargetConfig(ns)?["auths"]?["flip.example.com"]?["auth"];
        return auth is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(auth)).Split(':', 2)[1];
    }
}

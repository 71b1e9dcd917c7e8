using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>The write patterns of the controllers that write sources (README, "Sources written by other tools"), on the
/// fake: a refresh rewriting the same bytes makes no target write; a Secret deleted and re-created is followed by uid.
/// The real API server shows the same in <c>Ecosystem/SourceWritePatternTests</c>.</summary>
public sealed class SourceRefreshTests : IAsyncLifetime
{
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Refresh_WithTheSameBytes_CausesNoTargetWrite()
    {
        var config = ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw"));
        _cluster.CreateNamespace("team-a");
        _cluster.CreateNamespace("team-b");
        _cluster.PutSource("harbor", config);
        _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        await _cluster.WaitForRegistriesAsync("team-b", "harbor.example.com");
        _cluster.Fake.Requests.Clear();

        for (var i = 0; i < 5; i++)
        {
            _cluster.PutSource("harbor", config); // a new resourceVersion each time, the same data
        }

        // A namespace created after the refreshes is served: they are behind it, and its create is the only write.
        _cluster.CreateNamespace("team-z");
        await _cluster.WaitForRegistriesAsync("team-z", "harbor.example.com");
        var writes = _cluster.Fake.Requests.Writes.Where(w => w.Resource == "secrets").ToList();
        Assert.True(writes.Count == 1 && writes[0].Namespace == "team-z", string.Join(", ", writes.Select(w => $"{w.Verb} {w.Namespace}")));
    }

    [Fact]
    public async Task DeletedAndRecreated_TargetsRecordTheNewUid()
    {
        _cluster.CreateNamespace("team-a");
        var first = _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "first")));
        _cluster.StartServer();
        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");

        _cluster.Fake.Store.Delete("v1", "secrets", ReconcilerHarness.SourceNamespace, "harbor");
        var second = _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "second")));

        Assert.NotEqual((string?)first["metadata"]!["uid"], (string?)second["metadata"]!["uid"]);
        await Eventually.WaitUntilAsync(() => RecordedUid("team-a") == (string?)second["metadata"]!["uid"], "the target records the new Secret's uid");
    }

    private string? RecordedUid(string ns) =>
        _cluster.GetSecret(ns)?["metadata"]?["annotations"]?["pullsecret-webhook.io/origins"] is { } origins
            ? (string?)JsonNode.Parse((string)origins!)![$"{ReconcilerHarness.SourceNamespace}/harbor"]?["uid"]
            : null;
}

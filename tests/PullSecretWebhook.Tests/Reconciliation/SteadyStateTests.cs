using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>At steady state the reconciler is quiet: a resync compares caches and makes no API call.</summary>
public sealed partial class SteadyStateTests : IAsyncLifetime
{
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Resync_WhenEverythingIsInSync_MakesNoApiCallAndNoWrite()
    {
        var time = new FakeTimeProvider();
        string[] namespaces = ["team-a", "team-b", "team-c"];
        foreach (var ns in namespaces)
        {
            _cluster.CreateNamespace(ns);
        }

        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        var server = _cluster.StartServer(new() { ["LeaderElection:Enabled"] = "false" }, time: time);
        using var client = server.CreateClient();
        foreach (var ns in namespaces)
        {
            await _cluster.WaitForRegistriesAsync(ns, "harbor.example.com");
        }

        // Let the reconciles triggered by our own writes' watch events settle, then measure from a clean log.
        await Eventually.WaitUntilAsync(() => UpToDateCount(client) >= namespaces.Length + 1, "the writes' own events were reconciled");
        var before = UpToDateCount(client);
        _cluster.Fake.Requests.Clear();

        time.Advance(TimeSpan.FromMinutes(10)); // one resync period

        // The resync reconciled every namespace (default included) again...
        await Eventually.WaitUntilAsync(() => UpToDateCount(client) >= before + namespaces.Length + 1, "the resync ran");
        // ...from the caches alone.
        var calls = _cluster.Fake.Requests.Snapshot().Where(r => r.Verb != "watch").ToList();
        Assert.True(calls.Count == 0, string.Join("\n", calls));
    }

    private static long UpToDateCount(HttpClient client)
    {
        var metrics = client.GetStringAsync(new Uri("/metrics", UriKind.Relative)).GetAwaiter().GetResult();
        var match = UpToDate().Match(metrics);
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex("""pullsecret_webhook_reconciles_total\{result="ok",state="up_to_date"\} (\d+)""")]
    private static partial Regex UpToDate();
}

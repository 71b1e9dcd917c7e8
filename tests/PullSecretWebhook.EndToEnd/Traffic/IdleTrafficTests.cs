using System.Globalization;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Traffic;

/// <summary>What the product costs the API server when nothing changes, counted by the API server itself (audit
/// log): no writes but the Lease renewals, no periodic lists.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class IdleTrafficTests(ControlPlaneFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Idle_MakesNoWritesButLeaseRenewals_AndNoLists()
    {
        await using var scope = fixture.NewScope(output);
        var sources = await scope.CreateNamespaceAsync("src");
        var teams = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            teams.Add(await scope.CreateNamespaceAsync("team"));
        }

        await scope.PutSourceAsync(sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "pw")));
        await scope.PutSourceAsync(sources, "ghcr", ClusterScope.DockerConfig(("ghcr.io", "bot", "pw")));
        var product = await scope.StartProductAsync(sources);
        foreach (var team in teams)
        {
            await scope.WaitForRegistriesAsync(team, "ghcr.io", "harbor.example.com");
        }

        await Eventually.WaitUntilAsync(async () => (bool?)(await product.StatusAsync())["leader"] == true, "the product leads");

        // The window: from now until the leader has renewed its Lease 15 times (about 30 s at the 2 s RetryPeriod).
        var from = DateTimeOffset.UtcNow;
        List<ControlPlane.AuditRecord> Window() => [.. scope.AuditSinceStart().Where(r => r.Received >= from)];
        await Eventually.WaitUntilAsync(() => Window().Count(r => r.Resource == "leases" && r.Verb == "update") >= 15,
            "15 Lease renewals", TimeSpan.FromSeconds(60));
        var window = Window();
        var minutes = (window.Max(r => r.Received) - from).TotalMinutes;

        output.WriteLine($"idle window {minutes * 60:F1} s, {window.Count} requests of the product's identity:");
        foreach (var group in window.GroupBy(r => $"{r.Verb} {r.Resource}").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key,-24} {group.Count(),4} = {group.Count() / minutes,6:F1}/min"));
        }

        Assert.DoesNotContain(window, r => r.IsWrite && !(r.Resource == "leases" && r.Verb == "update"));
        Assert.DoesNotContain(window, r => r.Verb == "list");
        Assert.DoesNotContain(window, r => r.Code >= 400);
    }
}

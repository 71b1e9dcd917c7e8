using FakeKubeApiServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Registration;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Registration;

/// <summary>Registration against servers of different versions: matchConditions only where the server keeps them,
/// said once at start-up, and a server that drops them does not make the registrar write forever.</summary>
public sealed class ServerVersionRegistrationTests
{
    private const string MatchConditions = "Registration:MatchConditions";

    [Fact]
    public async Task Start_AutoOnKubernetes132_RegistersMatchConditionsAndSaysSo()
    {
        await using var cluster = await ReconcilerHarness.StartAsync();
        var logs = new FakeLoggerProvider();
        cluster.StartServer(InstallHarness.SelfManaged(), services: Capture(logs));

        await Eventually.WaitUntilAsync(() => cluster.CaBundle() is not null, "the configuration is registered");
        Assert.Equal(2, cluster.OurWebhook()!["matchConditions"]!.AsArray().Count);
        var line = Assert.Single(StartupLines(logs));
        Assert.Equal("Kubernetes v1.32.0-fake: registering with matchConditions (on by default from 1.28)", line.Message);
        Assert.Equal(LogLevel.Information, line.Level);
    }

    [Fact]
    public async Task Start_AutoOnKubernetes120_LeavesMatchConditionsOutAndSaysWhy()
    {
        await using var cluster = await ReconcilerHarness.StartAsync(new FakeApiServerOptions { ServerVersion = "1.20.2" });
        var logs = new FakeLoggerProvider();
        cluster.StartServer(InstallHarness.SelfManaged(), services: Capture(logs));

        await Eventually.WaitUntilAsync(() => cluster.CaBundle() is not null, "the configuration is registered");
        Assert.Null(cluster.OurWebhook()!["matchConditions"]);
        var line = Assert.Single(StartupLines(logs));
        Assert.Equal("v1.20.2-fake", line.GetStructuredStateValue("ServerVersion"));
        Assert.StartsWith("Kubernetes v1.20.2-fake: registering without matchConditions (off by default before 1.28)", line.Message, StringComparison.Ordinal);
        Assert.Contains("no kubernetes.io/metadata.name label before 1.21", line.Message, StringComparison.Ordinal);
        Assert.Contains("the webhook itself skips mirror Pods, Pods already referencing the target and the excluded namespaces", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ForcedOffOnKubernetes132_LeavesMatchConditionsOutAndSaysTheSettingDid()
    {
        await using var cluster = await ReconcilerHarness.StartAsync();
        var logs = new FakeLoggerProvider();
        cluster.StartServer(InstallHarness.SelfManaged(new() { [MatchConditions] = "false" }), services: Capture(logs));

        await Eventually.WaitUntilAsync(() => cluster.CaBundle() is not null, "the configuration is registered");
        Assert.Null(cluster.OurWebhook()!["matchConditions"]);
        Assert.StartsWith("Kubernetes v1.32.0-fake: registering without matchConditions (Registration:MatchConditions is false)", Assert.Single(StartupLines(logs)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ForcedOnAServerThatDropsThem_WritesOnlyWhenSomethingElseChanges()
    {
        await using var cluster = await ReconcilerHarness.StartAsync(new FakeApiServerOptions { ServerVersion = "1.20.2" });
        var logs = new FakeLoggerProvider();
        var server = cluster.StartServer(InstallHarness.SelfManaged(new() { [MatchConditions] = "true" }), services: Capture(logs));
        await Eventually.WaitUntilAsync(() => Dropped(logs).Any(), "the drop is noticed");
        Assert.Equal(1, cluster.Fake.Requests.Count("create", "mutatingwebhookconfigurations"));
        Assert.StartsWith("Kubernetes v1.20.2-fake: registering with matchConditions (Registration:MatchConditions is true)", Assert.Single(StartupLines(logs)).Message, StringComparison.Ordinal);

        // A real change (a new CA) is written once, without the dropped field.
        var rotated = TlsSecretMaterial.Create(InstallHarness.ServiceNames, new TlsOptions(), DateTimeOffset.UtcNow);
        cluster.PutTlsMaterial(rotated);
        await Eventually.WaitUntilAsync(() => server.ServedThumbprint() == rotated.Leaf.Thumbprint, "the server serves the rotated certificate");
        Assert.Equal(Convert.ToBase64String(rotated.CaBundlePem), cluster.CaBundle());
        Assert.Equal(1, cluster.Fake.Requests.Count("patch", "mutatingwebhookconfigurations"));

        // The same bundle again: read, found equal without matchConditions, not written.
        cluster.Fake.Requests.Clear();
        await server.Services.GetRequiredService<WebhookRegistrar>().CaBundleChangedAsync(rotated.CaBundlePem, CancellationToken.None);

        Assert.Equal(1, cluster.Fake.Requests.Count("get", "mutatingwebhookconfigurations"));
        Assert.Equal(0, cluster.Fake.Requests.Count("patch", "mutatingwebhookconfigurations") + cluster.Fake.Requests.Count("create", "mutatingwebhookconfigurations"));
        var warning = Assert.Single(Dropped(logs));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("v1.20.2-fake", warning.GetStructuredStateValue("ServerVersion"));
    }

    [Fact]
    public async Task Start_VersionUnreadable_LeavesMatchConditionsOutAndSaysWhy()
    {
        await using var cluster = await ReconcilerHarness.StartAsync();
        cluster.Fake.Faults.FailNext(100, "get", "/version", 500);
        var logs = new FakeLoggerProvider();
        cluster.StartServer(
            InstallHarness.SelfManaged(new() { ["Kube:RetryBaseDelay"] = "00:00:00.01", ["Kube:RetryMaxDelay"] = "00:00:00.05" }),
            services: Capture(logs));

        await Eventually.WaitUntilAsync(() => cluster.CaBundle() is not null, "the configuration is registered");
        Assert.Null(cluster.OurWebhook()!["matchConditions"]);
        var line = Assert.Single(StartupLines(logs));
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.StartsWith("Could not read the Kubernetes version (", line.Message, StringComparison.Ordinal);
        Assert.Contains("/version", line.GetStructuredStateValue("Problem"), StringComparison.Ordinal);
        Assert.Contains(cluster.Fake.Requests.Snapshot(), e => e.Verb == "get" && e.Resource.Length == 0 && e.Status == 500);
    }

    private static Action<IServiceCollection> Capture(FakeLoggerProvider logs) => s => s.AddLogging(b => b.AddProvider(logs));

    /// <summary>The line that says what registration makes of the server, or that it could not tell (events 420-424).</summary>
    private static List<FakeLogRecord> StartupLines(FakeLoggerProvider logs) =>
        [.. Registrar(logs).Where(e => e.Id.Id is >= 420 and <= 424)];

    private static IEnumerable<FakeLogRecord> Dropped(FakeLoggerProvider logs) =>
        Registrar(logs).Where(e => e.Id.Id == 425);

    private static IEnumerable<FakeLogRecord> Registrar(FakeLoggerProvider logs) =>
        logs.Collector.GetSnapshot().Where(e => e.Category == typeof(WebhookRegistrar).FullName);
}

using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.CredentialChecks.Support;
using PullSecretWebhook.Tests.Cli;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.CredentialChecks;

/// <summary><c>explain</c> shows a verdict beside each key it lists: live with <c>--check</c> against the real
/// registries, else what the server reported in Events about the source's current version.</summary>
[Collection(RegistryGroup.Name)]
public sealed class ExplainCheckTests(RegistryFixture registries) : IAsyncLifetime
{
    private const string Source = ReconcilerHarness.SourceNamespace;
    private readonly string _directory = Directory.CreateTempSubdirectory("psw-cli-").FullName;
    private ReconcilerHarness _cluster = null!;
    private string _kubeconfig = "";

    public async Task InitializeAsync()
    {
        _cluster = await ReconcilerHarness.StartAsync();
        _kubeconfig = _cluster.Fake.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("good", ReconcilerHarness.DockerConfig((registries.Basic.Host, "alice", RegistryFixture.Users["alice"])));
        _cluster.PutSource("bad", ReconcilerHarness.DockerConfig((registries.Token.Host, "bob", "bob-stale-password")));
        _cluster.PutSource("team-b-only", ReconcilerHarness.DockerConfig(($"{registries.Token.Host}/b", "zed", "zed-pass")), annotations: new() { ["pullsecret-webhook.io/to-namespaces"] = "team-b" });
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Explain_Check_ShowsTheLiveVerdictBesideEachKey()
    {
        var before = registries.Issuer.Requests;

        var (exitCode, output, error) = await RunAsync("explain", "-n", "team-a", "--check", "--ca-bundle", registries.Pki.CaFile, "--image", $"{registries.Token.Host}/{RegistryFixture.Image}");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Contains($"      {registries.Basic.Host}: Valid: {registries.Basic.Host} accepted the credential (Basic)", output, StringComparison.Ordinal);
        Assert.Contains($"      {registries.Token.Host}: Rejected: the token service", output, StringComparison.Ordinal);
        Assert.Contains($"1. {registries.Token.Host} (user bob, from {Source}/bad): Rejected", output, StringComparison.Ordinal);
        Assert.DoesNotContain("bob-stale-password", output, StringComparison.Ordinal);
        Assert.Equal(1, registries.Issuer.Requests - before); // bob's token request; team-b-only's key is not exported here, so not checked
        Assert.DoesNotContain(RegistryFixture.Users["alice"], output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_CheckWithoutTheCa_UnreachableNamingTls()
    {
        var (exitCode, output, _) = await RunAsync("explain", "-n", "team-a", "--check");

        Assert.Equal(0, exitCode);
        Assert.Contains($"      {registries.Basic.Host}: Unreachable: {registries.Basic.Host}: TLS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_WithoutCheck_ShowsTheServersEventOnlyForTheSourcesCurrentVersion()
    {
        var bad = _cluster.GetSecret(Source, "bad")!;
        var good = _cluster.GetSecret(Source, "good")!;
        Event(bad, $"Registry key {registries.Token.Host} (user bob) is rejected: the token service answered 401 (UNAUTHORIZED). Pods pulling with it will fail.", (string)bad["metadata"]!["resourceVersion"]!);
        Event(good, $"Registry key {registries.Basic.Host} (user alice) is rejected: old news.", "1");

        var (exitCode, output, _) = await RunAsync("explain", "-n", "team-a");

        Assert.Equal(0, exitCode);
        Assert.True(output.Contains($"      {registries.Token.Host}: Rejected (the server's Event,", StringComparison.Ordinal), output);
        Assert.Contains($"      {registries.Basic.Host}: Unchecked here: the server reported no problem", output, StringComparison.Ordinal);
    }

    private void Event(JsonObject secret, string message, string resourceVersion) =>
        _cluster.Fake.Store.Create("v1", "events", Source, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"{secret["metadata"]!["name"]}.{Guid.NewGuid():N}", ["namespace"] = Source },
            ["involvedObject"] = new JsonObject { ["kind"] = "Secret", ["apiVersion"] = "v1", ["namespace"] = Source, ["name"] = (string?)secret["metadata"]!["name"], ["resourceVersion"] = resourceVersion },
            ["reason"] = "CredentialRejected",
            ["message"] = message,
            ["type"] = "Warning",
            ["source"] = new JsonObject { ["component"] = "pullsecret-webhook" },
            ["lastTimestamp"] = "2026-01-01T00:00:00Z",
        });

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        CliRunner.RunAsync([.. args, "--kubeconfig", _kubeconfig, "--server-namespace", Source]);
}

using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.Product;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Cli;

/// <summary><c>explain</c> and <c>render</c> with an operator's kubeconfig, against the real API server.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class ClusterCommandsTests(ControlPlaneFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ClusterScope _scope = fixture.NewScope(output);
    private string _sources = "";
    private string _team = "";

    public async Task InitializeAsync()
    {
        _sources = await _scope.CreateNamespaceAsync("src");
        _team = await _scope.CreateNamespaceAsync("team");
        await _scope.PutSourceAsync(_sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "s3cret-harbor")));
        await _scope.PutSourceAsync(_sources, "ghcr", ClusterScope.DockerConfig(("ghcr.io", "bot", "s3cret-ghcr")),
            new Dictionary<string, string> { ["pullsecret-webhook.io/to-namespaces"] = "nowhere-*" });
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task Explain_ListsTheSourcesExportedHere_AndTheKeysAnImageTries()
    {
        var (exitCode, stdout, stderr) = await CliAsync("explain", "--namespace", _team, "--image", "harbor.example.com/team/app:1");

        output.WriteLine(stdout);
        Assert.True(exitCode == 0, stderr);
        Assert.Contains($"{_sources}/harbor", stdout, StringComparison.Ordinal);
        Assert.Contains("harbor.example.com", stdout, StringComparison.Ordinal);
        Assert.Contains("robot", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_MissingNamespace_FailsInOneLine()
    {
        var (exitCode, stdout, stderr) = await CliAsync("explain", "--namespace", "no-such-namespace");

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.Equal("error: namespace \"no-such-namespace\" not found", stderr.Trim());
    }

    [Fact]
    public async Task Render_PrintsTheMergedConfig_RedactedUnlessAsked()
    {
        var (exitCode, stdout, stderr) = await CliAsync("render", "--namespace", _team);
        Assert.True(exitCode == 0, stderr);
        var auths = JsonNode.Parse(stdout)!["auths"]!.AsObject();
        Assert.Equal(["harbor.example.com"], auths.Select(a => a.Key));
        Assert.DoesNotContain("s3cret", stdout, StringComparison.Ordinal);

        var (_, revealed, _) = await CliAsync("render", "--namespace", _team, "--show-secrets");
        Assert.Equal("s3cret-harbor", (string?)JsonNode.Parse(revealed)!["auths"]!["harbor.example.com"]!["password"]);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(params string[] arguments)
    {
        var (program, command) = ShippedBuild.Command([.. arguments, "--kubeconfig", fixture.Plane.AdminKubeconfig, "--source-namespace", _sources]);
        return Tools.RunAsync(program, command, environment: new Dictionary<string, string?> { ["KUBECONFIG"] = null, ["POD_NAMESPACE"] = null });
    }
}

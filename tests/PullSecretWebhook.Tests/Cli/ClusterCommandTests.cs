using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Cli;

/// <summary><c>explain</c> and <c>render</c> (README, "Command line") against the fake API server through a
/// kubeconfig.</summary>
public sealed class ClusterCommandTests : IAsyncLifetime
{
    private const string Source = ReconcilerHarness.SourceNamespace;
    private readonly string _directory = Directory.CreateTempSubdirectory("psw-cli-").FullName;
    private ReconcilerHarness _cluster = null!;
    private string _kubeconfig = "";

    public async Task InitializeAsync()
    {
        _cluster = await ReconcilerHarness.StartAsync();
        _kubeconfig = _cluster.Fake.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
        _cluster.CreateNamespace("team-a", new() { ["env"] = "prod" });
        _cluster.CreateNamespace("team-b");
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "harbor-secret-pw")));
        _cluster.PutSource("hub", ReconcilerHarness.DockerConfig(("https://index.docker.io/v1/", "hubuser", "hub-secret-pw"), ("harbor.example.com/team", "teamrobot", "team-secret-pw")));
        _cluster.PutSource("prod-only", ReconcilerHarness.DockerConfig(("ghcr.io", "bot", "ghcr-secret-pw")), annotations: new() { ["pullsecret-webhook.io/to-namespace-selector"] = "env=prod" });
        _cluster.PutSource("team-b-only", ReconcilerHarness.DockerConfig(("quay.io", "q", "quay-secret-pw")), annotations: new() { ["pullsecret-webhook.io/to-namespaces"] = "team-b" });
        _cluster.PutSource("broken", """{"auths":{"r.example.com":{"auth":"not base64!"}}}""");
        _cluster.CreateNamespace("tenant");
        _cluster.PutSource("sneaky", ReconcilerHarness.DockerConfig(("evil.example.com", "x", "tenant-secret-pw")), ns: "tenant");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Explain_Namespace_SaysWhichSourcesReachItAndWhy()
    {
        var (exitCode, output, error) = await RunAsync("explain", "-n", "team-a");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Contains("Namespace team-a: gets credentials", output, StringComparison.Ordinal);
        Assert.Contains("Target Secret team-a/pullsecret-webhook: Missing", output, StringComparison.Ordinal);
        Assert.Contains($"{Source}/harbor: exported: harbor.example.com", output, StringComparison.Ordinal);
        Assert.Contains($"{Source}/prod-only: exported: ghcr.io", output, StringComparison.Ordinal);
        Assert.Contains($"{Source}/team-b-only: not exported here: pullsecret-webhook.io/to-namespaces \"team-b\" does not include team-a", output, StringComparison.Ordinal);
        Assert.Contains($"{Source}/broken: not exported: registry 'r.example.com': auth is not valid base64", output, StringComparison.Ordinal);
        Assert.Contains("tenant/sneaky: not exported: exported from namespace tenant, which is not a source namespace", output, StringComparison.Ordinal);
        AssertNoSecrets(output);
    }

    [Fact]
    public async Task Explain_SelectorMismatch_IsNamed()
    {
        var (_, output, _) = await RunAsync("explain", "-n", "team-b");

        Assert.Contains($"{Source}/prod-only: not exported here: pullsecret-webhook.io/to-namespace-selector \"env=prod\" does not select team-b's labels", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_Image_ListsTheKeysTheKubeletTriesInOrderWithUsernamesOnly()
    {
        var (_, output, _) = await RunAsync("explain", "-n", "team-a", "--image", "harbor.example.com/team/app:1.0");

        Assert.Contains("(the kubelet looks up harbor.example.com/team/app)", output, StringComparison.Ordinal);
        var first = output.IndexOf($"1. harbor.example.com/team (user teamrobot, from {Source}/hub)", StringComparison.Ordinal);
        var second = output.IndexOf($"2. harbor.example.com (user robot, from {Source}/harbor)", StringComparison.Ordinal);
        Assert.True(first > 0 && second > first, output);
        AssertNoSecrets(output);
    }

    [Fact]
    public async Task Explain_DockerHubImage_ShowsTheFallback()
    {
        var (_, output, _) = await RunAsync("explain", "-n", "team-a", "--image", "nginx");

        Assert.Contains("(the kubelet looks up docker.io/library/nginx)", output, StringComparison.Ordinal);
        Assert.Contains($"1. https://index.docker.io/v1/ (user hubuser, from {Source}/hub, by the Docker Hub fallback)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_UnmatchedImage_SaysNoKeyMatches()
    {
        var (_, output, _) = await RunAsync("explain", "-n", "team-a", "--image", "registry.k8s.io/pause:3.9");

        Assert.Contains("no registry key matches", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_ExcludedOrOptedOutNamespace_SaysSo()
    {
        _cluster.CreateNamespace("quiet", new() { ["pullsecret-webhook.io/inject"] = "false" });

        var (_, system, _) = await RunAsync("explain", "-n", "kube-system");
        var (_, quiet, _) = await RunAsync("explain", "-n", "quiet");

        Assert.Contains("gets no credentials: it is excluded by name", system, StringComparison.Ordinal);
        Assert.Contains("gets no credentials: it is labelled pullsecret-webhook.io/inject=false", quiet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_TargetNotOurs_IsReported()
    {
        _cluster.PutSecret("team-b", "pullsecret-webhook", new JsonObject { ["type"] = "Opaque", ["data"] = new JsonObject() });

        var (_, output, _) = await RunAsync("explain", "-n", "team-b");

        Assert.Contains("Target Secret team-b/pullsecret-webhook: NotOurs", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Namespace_PrintsTheMergeRedacted()
    {
        var (exitCode, output, error) = await RunAsync("render", "-n", "team-a");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        var auths = JsonNode.Parse(output)!["auths"]!.AsObject();
        Assert.Equal(["ghcr.io", "harbor.example.com", "harbor.example.com/team", "https://index.docker.io/v1/"], auths.Select(a => a.Key).Order(StringComparer.Ordinal));
        Assert.All(auths, a => Assert.Equal("<redacted>", (string?)a.Value!["auth"]));
        AssertNoSecrets(output);
    }

    [Fact]
    public async Task Render_ShowSecrets_PrintsThemAsTheNamespaceGetsThem()
    {
        var (_, output, _) = await RunAsync("render", "-n", "team-b", "--show-secrets");

        var auth = (string)JsonNode.Parse(output)!["auths"]!["quay.io"]!["auth"]!;
        Assert.Equal("q:quay-secret-pw", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(auth)));
    }

    [Fact]
    public async Task Render_EveryTokenField_IsRedacted()
    {
        _cluster.PutSource("tokens", """{"auths":{"acr.example.com":{"username":"00000000-0000-0000-0000-000000000000","Password":"p-secret-pw","identitytoken":"id-secret-pw","registrytoken":"reg-secret-pw","email":"a@b"}}}""");

        var (_, output, _) = await RunAsync("render", "-n", "team-a");

        var entry = JsonNode.Parse(output)!["auths"]!["acr.example.com"]!;
        Assert.Equal("00000000-0000-0000-0000-000000000000", (string?)entry["username"]);
        Assert.Equal("a@b", (string?)entry["email"]);
        AssertNoSecrets(output);
    }

    [Fact]
    public async Task Render_NamespaceWithoutCredentials_FailsWithTheReason()
    {
        var (exitCode, output, error) = await RunAsync("render", "-n", "kube-system");

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Contains("error: namespace \"kube-system\" gets no credentials: it is excluded by name", error, StringComparison.Ordinal);
    }

    /// <summary>Sources:Secrets, as the server reads it: a Secret without the export label reaches the namespaces
    /// only when named; a scope given with the name overrides the Secret's annotations.</summary>
    [Fact]
    public async Task SourceSecret_WithoutTheLabel_CountsOnlyWhenNamed()
    {
        _cluster.PutUnlabelledSource(Source, "vault-pull", [("vault.example.com", "v", "vault-secret-pw")]);

        var (_, unnamed, _) = await RunAsync("explain", "-n", "team-a");
        var (exitCode, named, error) = await RunAsync("explain", "-n", "team-a", "--source-secret", $"{Source}/vault-pull");
        var (_, rendered, _) = await RunAsync("render", "-n", "team-a", "--source-secret", $"{Source}/vault-pull");

        Assert.DoesNotContain("vault-pull", unnamed, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Contains($"{Source}/vault-pull: exported: vault.example.com", named, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(rendered)!["auths"]!["vault.example.com"]);
        AssertNoSecrets(named + rendered);
    }

    [Fact]
    public async Task SourceSecret_ScopeGivenWithTheName_OverridesTheSecretsAnnotations()
    {
        _cluster.PutUnlabelledSource(Source, "vault-pull", [("vault.example.com", "v", "vault-secret-pw")], new() { ["pullsecret-webhook.io/to-namespaces"] = "*" });

        var (_, output, _) = await RunAsync("explain", "-n", "team-a", "--source-secret", $"{Source}/vault-pull:to-namespaces=team-b");
        var (_, prodOnly, _) = await RunAsync("explain", "-n", "team-b", "--source-secret", $"{Source}/vault-pull:to-namespace-selector=env=prod");

        Assert.Contains($"{Source}/vault-pull: not exported here: --source-secret to-namespaces \"team-b\" does not include team-a", output, StringComparison.Ordinal);
        Assert.Contains($"{Source}/vault-pull: not exported here: --source-secret to-namespace-selector \"env=prod\" does not select team-b's labels", prodOnly, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceSecret_NotFound_IsSaid()
    {
        var (exitCode, output, _) = await RunAsync("explain", "-n", "team-a", "--source-secret", $"{Source}/absent");

        Assert.Equal(0, exitCode);
        Assert.Contains($"{Source}/absent: named by --source-secret (Sources:Secrets) but not found", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenant/sneaky", 1, "Sources:Secrets:0:Namespace 'tenant' is not a source namespace")]
    [InlineData("psw-system/harbor:to-namespace-selector=env in (", 1, "--source-secret: ")]
    [InlineData("harbor", 2, "--source-secret 'harbor' is not NS/NAME")]
    [InlineData("psw-system/harbor:to-everywhere=yes", 2, "is not NS/NAME[:to-namespaces=GLOBS][:to-namespace-selector=SELECTOR]")]
    public async Task SourceSecret_TheServerWouldRefuse_IsRefused(string value, int exitCode, string expected)
    {
        var (code, output, error) = await RunAsync("explain", "-n", "team-a", "--source-secret", value);

        Assert.Equal(exitCode, code);
        Assert.Empty(output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("explain")]
    [InlineData("render")]
    public async Task ClusterCommand_UnknownNamespace_FailsInOneLine(string command)
    {
        var (exitCode, _, error) = await RunAsync(command, "-n", "nope");

        Assert.Equal(1, exitCode);
        Assert.Equal("error: namespace \"nope\" not found\n", error.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("explain")]
    [InlineData("render")]
    public async Task ClusterCommand_NoCluster_FailsNamingWhatWasTried(string command)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync([command, "-n", "team-a"]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: no Kubernetes cluster configured (KUBECONFIG is unset", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task ClusterCommand_KubeconfigFromEnvironmentAndContext_AreUsedLikeKubectl()
    {
        var (byEnvironment, _, _) = await CliRunner.RunAsync(["explain", "-n", "team-a", "--server-namespace", Source], environment: new() { ["KUBECONFIG"] = _kubeconfig });
        var (badContext, _, error) = await RunAsync("explain", "-n", "team-a", "--context", "elsewhere");

        Assert.Equal(0, byEnvironment);
        Assert.Equal(1, badContext);
        Assert.Contains("context 'elsewhere'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("explain")]
    [InlineData("render")]
    public async Task ClusterCommand_WithoutNamespace_IsAUsageError(string command)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync([command]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--namespace", error, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        CliRunner.RunAsync([.. args, "--kubeconfig", _kubeconfig, "--server-namespace", Source]);

    private static void AssertNoSecrets(string output) =>
        Assert.DoesNotContain("secret-pw", output, StringComparison.Ordinal);
}

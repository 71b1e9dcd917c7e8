using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using PullSecretWebhook.Kube.Auth;
using PullSecretWebhook.Kube.Config;
using PullSecretWebhook.Tests.Kube.Support;

namespace PullSecretWebhook.Tests.Kube;

public sealed class ExecCredentialProviderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private string CountFile => Path.Combine(_dir.Path, "calls");

    private int Invocations => File.Exists(CountFile) ? File.ReadAllLines(CountFile).Length : 0;

    /// <summary>A plugin that records each call (and its KUBERNETES_EXEC_INFO) and prints <paramref name="output"/>.</summary>
    private string Plugin(string output, int exitCode = 0)
    {
        var script = _dir.Write("plugin.sh", $"""
            #!/bin/sh
            echo "call $1 $GREETING" >> '{CountFile}'
            printf '%s' "$KUBERNETES_EXEC_INFO" > '{_dir.Path}/exec-info'
            echo 'plugin says no' >&2
            cat <<'JSON'
            {output}
            JSON
            exit {exitCode}
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return script;
    }

    private ExecCredentialProvider Provider(string command, string apiVersion = ExecPluginSettings.V1, bool clusterInfo = false) => new(
        new ExecPluginSettings("alice", command, ["token"], [new("GREETING", "hello")], apiVersion, "install the plugin", clusterInfo),
        new ExecClusterInfo { Server = "https://api.example:6443" },
        _time);

    private static string Credential(string token, string? expiry = null, string apiVersion = ExecPluginSettings.V1)
    {
        var expiration = expiry is null ? string.Empty : $",\"expirationTimestamp\":\"{expiry}\"";
        return "{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" + token + "\"" + expiration + "}}";
    }

    [Fact]
    public async Task GetAsync_TokenWithExpiry_IsCachedUntilItExpires()
    {
        var expiry = (_time.GetUtcNow() + TimeSpan.FromMinutes(10)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var provider = Provider(Plugin(Credential("tok", expiry)));

        Assert.Equal("tok", (await provider.GetAsync(default)).Token);
        Assert.Equal("tok", (await provider.GetAsync(default)).Token);
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("tok", (await provider.GetAsync(default)).Token);
        Assert.Equal(1, Invocations);

        _time.Advance(TimeSpan.FromMinutes(1));
        await provider.GetAsync(default);
        Assert.Equal(2, Invocations);
    }

    [Fact]
    public async Task GetAsync_PassesArgsEnvAndExecInfo()
    {
        var provider = Provider(Plugin(Credential("tok")), clusterInfo: true);

        await provider.GetAsync(default);

        Assert.Equal("call token hello", File.ReadAllText(CountFile).Trim());
        var info = File.ReadAllText(Path.Combine(_dir.Path, "exec-info"));
        Assert.Contains("\"kind\":\"ExecCredential\"", info, StringComparison.Ordinal);
        Assert.Contains("\"interactive\":false", info, StringComparison.Ordinal);
        Assert.Contains("\"server\":\"https://api.example:6443\"", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ConcurrentCallers_RunThePluginOnce()
    {
        var provider = Provider(Plugin(Credential("tok")));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => provider.GetAsync(default).AsTask()));

        Assert.All(results, r => Assert.Equal("tok", r.Token));
        Assert.Equal(1, Invocations);
    }

    [Fact]
    public async Task Invalidate_AfterRejection_RunsThePluginAgain()
    {
        var provider = Provider(Plugin(Credential("tok")));
        var first = await provider.GetAsync(default);

        Assert.True(provider.Invalidate(first));
        await provider.GetAsync(default);

        Assert.Equal(2, Invocations);
    }

    [Theory]
    [InlineData(ExecPluginSettings.V1)]
    [InlineData(ExecPluginSettings.V1Beta1)]
    public async Task GetAsync_ClientCertificateData_YieldsCertificate(string apiVersion)
    {
        var (cert, key) = TestPki.Ec("CN=exec-user");
        var status = new System.Text.Json.Nodes.JsonObject { ["clientCertificateData"] = cert, ["clientKeyData"] = key };
        var json = new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = apiVersion, ["kind"] = "ExecCredential", ["status"] = status }.ToJsonString();
        var provider = Provider(Plugin(json), apiVersion);

        var credentials = await provider.GetAsync(default);

        Assert.Null(credentials.Token);
        Assert.Equal("CN=exec-user", credentials.ClientCertificate!.Subject);
    }

    public static TheoryData<string, int, string> BadPlugins => new()
    {
        { Credential("tok"), 3, "exited with code 3: plugin says no" },
        { "not json", 0, "is not an ExecCredential" },
        { Credential("tok", apiVersion: ExecPluginSettings.V1Beta1), 0, "printed apiVersion 'client.authentication.k8s.io/v1beta1'" },
        { """{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}""", 0, "neither a token nor a client certificate" },
    };

    [Theory]
    [MemberData(nameof(BadPlugins))]
    public async Task GetAsync_BadPlugin_ThrowsNamingPluginAndUser(string output, int exitCode, string expected)
    {
        var provider = Provider(Plugin(output, exitCode));

        var error = await Assert.ThrowsAsync<KubeConfigException>(async () => await provider.GetAsync(default));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("user 'alice'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tok\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_MissingCommand_ThrowsWithInstallHint()
    {
        var provider = Provider(Path.Combine(_dir.Path, "no-such-plugin"));

        var error = await Assert.ThrowsAsync<KubeConfigException>(async () => await provider.GetAsync(default));

        Assert.Contains("could not be started", error.Message, StringComparison.Ordinal);
        Assert.Contains("install the plugin", error.Message, StringComparison.Ordinal);
    }
}

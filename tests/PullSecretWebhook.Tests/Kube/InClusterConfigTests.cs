using Microsoft.Extensions.Time.Testing;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Config;
using PullSecretWebhook.Tests.Kube.Support;

namespace PullSecretWebhook.Tests.Kube;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private KubeEnvironment Pod(string host = "10.96.0.1", string? podNamespace = null) => new(
        name => name switch
        {
            "KUBERNETES_SERVICE_HOST" => host,
            "KUBERNETES_SERVICE_PORT" => "443",
            "POD_NAMESPACE" => podNamespace,
            _ => null,
        },
        homeDirectory: _dir.Path,
        serviceAccountDirectory: Path.Combine(_dir.Path, "sa"));

    private void MountServiceAccount(string token = "token-1")
    {
        _dir.Write("sa/token", token);
        _dir.Write("sa/ca.crt", TestPki.Rsa("CN=cluster-ca").CertPem);
        _dir.Write("sa/namespace", "psw-system\n");
    }

    [Fact]
    public async Task Load_InCluster_UsesServiceAccountFiles()
    {
        MountServiceAccount();

        var state = new KubeConfigLoader(Pod(), _time).Load(null, null);

        Assert.True(state.IsConnected);
        Assert.Equal(new Uri("https://10.96.0.1:443"), state.Config.Server);
        Assert.Equal("CN=cluster-ca", Assert.Single(state.Config.CertificateAuthorities!).Subject);
        Assert.Equal("psw-system", state.Config.Namespace);
        Assert.Equal("token-1", (await state.Config.Credentials.GetAsync(default)).Token);
        Assert.StartsWith("in-cluster", state.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InClusterIpv6Host_IsBracketed()
    {
        MountServiceAccount();

        var state = new KubeConfigLoader(Pod("fd00::1"), _time).Load(null, null);

        Assert.Equal("[fd00::1]", state.Config!.Server.Host);
    }

    [Fact]
    public async Task Credentials_TokenRotated_AreReReadOnlyAfterAMinute()
    {
        MountServiceAccount("token-1");
        var credentials = new KubeConfigLoader(Pod(), _time).Load(null, null).Config!.Credentials;
        Assert.Equal("token-1", (await credentials.GetAsync(default)).Token);

        _dir.Write("sa/token", "token-2");
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("token-1", (await credentials.GetAsync(default)).Token);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("token-2", (await credentials.GetAsync(default)).Token);
    }

    [Fact]
    public async Task Credentials_RejectedWith401_AreReReadAtOnce()
    {
        MountServiceAccount("token-1");
        var credentials = new KubeConfigLoader(Pod(), _time).Load(null, null).Config!.Credentials;
        var first = await credentials.GetAsync(default);
        _dir.Write("sa/token", "token-2");

        Assert.True(credentials.Invalidate(first));

        Assert.Equal("token-2", (await credentials.GetAsync(default)).Token);
    }

    [Fact]
    public void Load_InClusterWithoutToken_ThrowsNamingTheFile()
    {
        _dir.Write("sa/ca.crt", TestPki.Rsa().CertPem);

        var error = Assert.Throws<KubeConfigException>(() => new KubeConfigLoader(Pod(), _time).Load(null, null));

        Assert.Contains(Path.Combine(_dir.Path, "sa", "token"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KubeconfigPresent_WinsOverInCluster()
    {
        MountServiceAccount();
        _dir.Write(".kube/config", """
            clusters:
            - name: c
              cluster:
                server: https://outside.example:6443
            contexts:
            - name: c
              context:
                cluster: c
            current-context: c
            """);

        var state = new KubeConfigLoader(Pod(), _time).Load(null, null);

        Assert.Equal("outside.example", state.Config!.Server.Host);
    }

    [Theory]
    [InlineData("from-env", "from-file", "from-env")]
    [InlineData(null, "from-file", "from-file")]
    [InlineData(null, null, "default")]
    public void OwnNamespace_PrefersEnvThenFileThenDefault(string? env, string? file, string expected)
    {
        if (file is not null)
        {
            _dir.Write("sa/namespace", file + "\n");
        }

        Assert.Equal(expected, Pod(podNamespace: env).OwnNamespace);
    }
}

using System.Globalization;
using System.Security.Authentication;
using FakeKubeApiServer;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Config;
using PullSecretWebhook.Kube.Transport;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;
using k8s;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>Token, client-certificate, exec-plugin and in-cluster authentication, and the checks of the server's
/// certificate, through the product's client against the fake over HTTPS.</summary>
public sealed class KubeClientAuthTests : IAsyncLifetime
{
    private KubeTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var options = new FakeApiServerOptions();
        options.Tokens["exec-token"] = "exec-user";
        options.Tokens["sa-token-1"] = "system:serviceaccount:psw:first";
        options.Tokens["sa-token-2"] = "system:serviceaccount:psw:second";
        _cluster = await KubeTestCluster.StartAsync(options);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private string LastUser => _cluster.Server.Requests.Snapshot()[^1].User;

    private string Kubeconfig(string userYaml) => _cluster.Directory.Write($"kubeconfig-{Guid.NewGuid():N}", $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: {_cluster.Server.BaseAddress.GetLeftPart(UriPartial.Authority)}
            certificate-authority-data: {TestPki.Base64(_cluster.Server.CaPem)}
        users:
        - name: me
          user:
        {userYaml}
        contexts:
        - name: fake
          context:
            cluster: fake
            user: me
        current-context: fake
        """);

    [Fact]
    public async Task Token_Valid_AuthenticatesAsItsUser()
    {
        var client = _cluster.CreateClient(kubeconfigPath: Kubeconfig("    token: exec-token"));

        await client.CoreV1.ListNamespaceAsync();

        Assert.Equal("exec-user", LastUser);
    }

    [Fact]
    public async Task Token_Invalid_ThrowsUnauthorized()
    {
        var client = _cluster.CreateClient(kubeconfigPath: Kubeconfig("    token: wrong"));

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.CoreV1.ListNamespaceAsync());

        Assert.True(error.IsUnauthorized);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCertificate_AuthenticatesAsItsCommonName()
    {
        var (cert, key) = _cluster.Server.IssueClientCertificate("jane", "devs");
        var client = _cluster.CreateClient(kubeconfigPath: Kubeconfig($"""
                client-certificate-data: {TestPki.Base64(cert)}
                client-key-data: {TestPki.Base64(key)}
            """));

        await client.CoreV1.ListNamespaceAsync();

        Assert.Equal("jane", LastUser);
    }

    [Fact]
    public async Task UntrustedServer_FailsTls()
    {
        var path = Kubeconfig("    token: exec-token");
        File.WriteAllText(path, File.ReadAllText(path).Replace(TestPki.Base64(_cluster.Server.CaPem), TestPki.Base64(TestPki.Rsa("CN=other-ca").CertPem), StringComparison.Ordinal));
        var options = KubeTestCluster.FastOptions();
        options.MaxRetries = 0;
        var client = _cluster.CreateClient(options, kubeconfigPath: path);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());
    }

    [Fact]
    public async Task InsecureSkipTlsVerify_AcceptsAnyServerCertificate()
    {
        var path = Kubeconfig("    token: exec-token");
        File.WriteAllText(path, File.ReadAllText(path).Replace($"certificate-authority-data: {TestPki.Base64(_cluster.Server.CaPem)}", "insecure-skip-tls-verify: true", StringComparison.Ordinal));
        var client = _cluster.CreateClient(kubeconfigPath: path);

        await client.CoreV1.ListNamespaceAsync();

        Assert.Equal("exec-user", LastUser);
    }

    /// <summary>A kubeconfig for <paramref name="server"/>, trusting <paramref name="pki"/>'s CA.</summary>
    private string LoopbackKubeconfig(LoopbackApiServer server, TestCertificates pki, string? tlsServerName = null) =>
        _cluster.Directory.Write($"kubeconfig-{Guid.NewGuid():N}", $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: loopback
              cluster:
                server: {server.Url}
                certificate-authority-data: {TestPki.Base64(pki.Ca.ExportCertificatePem())}
            {(tlsServerName is null ? string.Empty : $"    tls-server-name: {tlsServerName}")}
            users:
            - name: me
              user:
                token: any
            contexts:
            - name: loopback
              context:
                cluster: loopback
                user: me
            current-context: loopback
            """);

    private Kubernetes NoRetryClient(string kubeconfigPath)
    {
        var options = KubeTestCluster.FastOptions();
        options.MaxRetries = 0;
        return _cluster.CreateClient(options, kubeconfigPath: kubeconfigPath);
    }

    [Fact]
    public async Task ServerCertificate_ForAnotherHost_IsRefusedThoughTheCaTrustsIt()
    {
        using var pki = new TestCertificates();
        await using var server = await LoopbackApiServer.StartAsync(pki, "wrong.example");
        var client = NoRetryClient(LoopbackKubeconfig(server, pki));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());

        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task ServerCertificate_ForTheHost_IsAccepted()
    {
        using var pki = new TestCertificates();
        await using var server = await LoopbackApiServer.StartAsync(pki, "127.0.0.1");
        var client = NoRetryClient(LoopbackKubeconfig(server, pki));

        Assert.Empty((await client.CoreV1.ListNamespaceAsync()).Items);
    }

    [Fact]
    public async Task ServerCertificate_ForAnotherHost_IsAcceptedWhenTlsServerNameNamesIt()
    {
        using var pki = new TestCertificates();
        await using var server = await LoopbackApiServer.StartAsync(pki, "wrong.example");
        var named = NoRetryClient(LoopbackKubeconfig(server, pki, tlsServerName: "wrong.example"));
        var misnamed = NoRetryClient(LoopbackKubeconfig(server, pki, tlsServerName: "other.example"));

        Assert.Empty((await named.CoreV1.ListNamespaceAsync()).Items);
        await Assert.ThrowsAsync<HttpRequestException>(() => misnamed.CoreV1.ListNamespaceAsync());
    }

    [Fact]
    public async Task ServerCertificate_FromAnotherCa_IsRefusedEvenWithTlsServerName()
    {
        using var pki = new TestCertificates();
        using var otherPki = new TestCertificates();
        await using var server = await LoopbackApiServer.StartAsync(pki, "wrong.example");
        var client = NoRetryClient(LoopbackKubeconfig(server, otherPki, tlsServerName: "wrong.example"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());
    }

    [Fact]
    public async Task TlsServerName_IsUsedToValidateTheCertificate()
    {
        var path = Kubeconfig("    token: exec-token");
        File.WriteAllText(path, File.ReadAllText(path).Replace("    certificate-authority-data", "    tls-server-name: localhost\n    certificate-authority-data", StringComparison.Ordinal));
        var client = _cluster.CreateClient(kubeconfigPath: path);
        await client.CoreV1.ListNamespaceAsync();

        File.WriteAllText(path, File.ReadAllText(path).Replace("tls-server-name: localhost", "tls-server-name: not-in-the-certificate.example", StringComparison.Ordinal));
        var options = KubeTestCluster.FastOptions();
        options.MaxRetries = 0;
        var mismatched = _cluster.CreateClient(options, kubeconfigPath: path);
        await Assert.ThrowsAsync<HttpRequestException>(() => mismatched.CoreV1.ListNamespaceAsync());
    }

    /// <summary>A plugin that counts its runs and prints "stale" on the runs listed, the real token otherwise.</summary>
    private string ExecPlugin(string staleOnRuns, string expiry)
    {
        var count = Path.Combine(_cluster.Directory.Path, "exec-runs");
        var script = _cluster.Directory.Write("exec-plugin.sh", $$$"""
            #!/bin/sh
            echo run >> '{{{count}}}'
            runs=$(wc -l < '{{{count}}}' | tr -d ' ')
            token=exec-token
            for stale in {{{staleOnRuns}}}; do [ "$runs" = "$stale" ] && token=stale; done
            printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"{{{expiry}}}"}}' "$token"
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return Kubeconfig("""
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: ./exec-plugin.sh
            """);
    }

    private int ExecRuns => File.ReadAllLines(Path.Combine(_cluster.Directory.Path, "exec-runs")).Length;

    [Fact]
    public async Task ExecPlugin_Token_IsCachedUntilExpiry()
    {
        var time = new FakeTimeProvider();
        var expiry = (time.GetUtcNow() + TimeSpan.FromMinutes(5)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var client = _cluster.CreateClient(timeProvider: time, kubeconfigPath: ExecPlugin("0", expiry));

        for (var i = 0; i < 3; i++)
        {
            await client.CoreV1.ListNamespaceAsync();
        }

        Assert.Equal(1, ExecRuns);
        Assert.Equal("exec-user", LastUser);

        time.Advance(TimeSpan.FromMinutes(5));
        await client.CoreV1.ListNamespaceAsync();

        Assert.Equal(2, ExecRuns);
    }

    [Fact]
    public async Task ExecPlugin_Rejected_IsRunAgainOnceAndTheCallRetried()
    {
        var client = _cluster.CreateClient(kubeconfigPath: ExecPlugin("1", "2099-01-01T00:00:00Z"));

        await client.CoreV1.ListNamespaceAsync();

        Assert.Equal(2, ExecRuns);
        Assert.Equal([401, 200], _cluster.Server.Requests.Snapshot().Select(r => r.Status));
    }

    [Fact]
    public async Task ExecPlugin_RejectedTwice_SurfacesUnauthorizedWithoutLooping()
    {
        var client = _cluster.CreateClient(kubeconfigPath: ExecPlugin("1 2 3", "2099-01-01T00:00:00Z"));

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.CoreV1.ListNamespaceAsync());

        Assert.True(error.IsUnauthorized);
        Assert.Equal(2, ExecRuns);
    }

    [Fact]
    public async Task ExecPlugin_ClientCertificate_AuthenticatesAsItsCommonName()
    {
        var (cert, key) = _cluster.Server.IssueClientCertificate("exec-cert-user");
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "client.authentication.k8s.io/v1",
            ["kind"] = "ExecCredential",
            ["status"] = new System.Text.Json.Nodes.JsonObject { ["clientCertificateData"] = cert, ["clientKeyData"] = key },
        };
        _cluster.Directory.Write("credential.json", json.ToJsonString());
        var client = _cluster.CreateClient(kubeconfigPath: Kubeconfig($"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  interactiveMode: Never
                  command: /bin/cat
                  args: ["{Path.Combine(_cluster.Directory.Path, "credential.json")}"]
            """));

        await client.CoreV1.ListNamespaceAsync();

        Assert.Equal("exec-cert-user", LastUser);
    }

    [Fact]
    public async Task InCluster_RotatedToken_IsPickedUpAfterAMinute()
    {
        var saDirectory = Path.Combine(_cluster.Directory.Path, "sa");
        _cluster.Directory.Write("sa/token", "sa-token-1");
        _cluster.Directory.Write("sa/ca.crt", _cluster.Server.CaPem);
        _cluster.Directory.Write("sa/namespace", "psw");
        var environment = new KubeEnvironment(
            name => name switch
            {
                "KUBERNETES_SERVICE_HOST" => "127.0.0.1",
                "KUBERNETES_SERVICE_PORT" => _cluster.Server.BaseAddress.Port.ToString(CultureInfo.InvariantCulture),
                _ => null,
            },
            homeDirectory: null,
            saDirectory);
        var time = new FakeTimeProvider();
        var state = new KubeConfigLoader(environment, time).Load(null, null);
        var client = _cluster.Track(KubeApiClientFactory.Create(state.Config!, KubeTestCluster.FastOptions(), time, NullLogger.Instance));

        await client.CoreV1.ListNamespaceAsync();
        Assert.Equal("system:serviceaccount:psw:first", LastUser);

        _cluster.Directory.Write("sa/token", "sa-token-2");
        time.Advance(TimeSpan.FromSeconds(61));
        await client.CoreV1.ListNamespaceAsync();

        Assert.Equal("system:serviceaccount:psw:second", LastUser);
        Assert.Equal("psw", state.Config!.Namespace);
    }
}

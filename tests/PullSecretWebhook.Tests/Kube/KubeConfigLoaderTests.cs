using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Auth;
using PullSecretWebhook.Kube.Config;
using PullSecretWebhook.Tests.Kube.Support;

namespace PullSecretWebhook.Tests.Kube;

public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Config(string server = "https://one.example:6443", string context = "one", string? extraUser = null) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {context}
          cluster:
            server: {server}
        users:
        - name: {context}
          user:
        {extraUser ?? $"    token: t-{context}"}
        contexts:
        - name: {context}
          context:
            cluster: {context}
            user: {context}
            namespace: ns-{context}
        current-context: {context}
        """;

    private KubeConnectionState Load(Dictionary<string, string>? env = null, string? explicitPath = null, string? context = null, string? home = null) =>
        new KubeConfigLoader(new KubeEnvironment(n => env?.GetValueOrDefault(n), home, Path.Combine(_dir.Path, "sa")), TimeProvider.System)
            .Load(explicitPath, context);

    [Fact]
    public async Task Load_KubeconfigTwoFiles_FirstFileWinsPerNameAndForCurrentContext()
    {
        var first = _dir.Write("a/config", Config("https://first.example:6443", "shared"));
        var second = _dir.Write("b/config", """
            clusters:
            - name: shared
              cluster:
                server: https://ignored.example:6443
            - name: other
              cluster:
                server: https://other.example:6443
            users:
            - name: other
              user:
                token: t-other
            contexts:
            - name: other
              context:
                cluster: other
                user: other
            current-context: other
            """);

        var state = Load(new() { ["KUBECONFIG"] = $"{first}:{second}" });

        Assert.True(state.IsConnected);
        Assert.Equal(new Uri("https://first.example:6443"), state.Config.Server);
        Assert.Equal("ns-shared", state.Config.Namespace);
        Assert.Equal("t-shared", (await state.Config.Credentials.GetAsync(default)).Token);

        // A context only the third file defines is reachable through the override.
        var other = Load(new() { ["KUBECONFIG"] = $"{first}:{second}" }, context: "other");
        Assert.Equal(new Uri("https://other.example:6443"), other.Config!.Server);
        Assert.Equal("t-other", (await other.Config.Credentials.GetAsync(default)).Token);
    }

    [Fact]
    public void Load_KubeconfigListWithMissingFiles_SkipsThem()
    {
        var real = _dir.Write("real", Config());

        var state = Load(new() { ["KUBECONFIG"] = $"{_dir.Path}/missing:{real}" });

        Assert.True(state.IsConnected);
        Assert.Equal("one.example", state.Config.Server.Host);
    }

    [Fact]
    public void Load_NothingConfigured_IsNotConnectedAndSaysWhy()
    {
        var state = Load(home: _dir.Path);

        Assert.False(state.IsConnected);
        Assert.Contains(".kube/config does not exist", state.Description, StringComparison.Ordinal);
        Assert.Contains("KUBERNETES_SERVICE_HOST is unset", state.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HomeKubeConfig_IsUsedWhenKubeconfigUnset()
    {
        _dir.Write(".kube/config", Config("https://home.example:1234"));

        var state = Load(home: _dir.Path);

        Assert.Equal(new Uri("https://home.example:1234"), state.Config!.Server);
    }

    [Fact]
    public async Task Load_RelativePaths_ResolveAgainstTheKubeconfigDirectory()
    {
        var (certPem, keyPem) = TestPki.Ec();
        var (caPem, _) = TestPki.Rsa("CN=ca");
        _dir.Write("cfg/pki/ca.crt", caPem);
        _dir.Write("cfg/pki/client.crt", certPem);
        _dir.Write("cfg/pki/client.key", keyPem);
        _dir.Write("cfg/token", "file-token\n");
        var path = _dir.Write("cfg/config", Config(extraUser: """
                client-certificate: pki/client.crt
                client-key: pki/client.key
                tokenFile: token
            """).Replace("    server: https://one.example:6443", "    server: https://one.example:6443\n    certificate-authority: pki/ca.crt", StringComparison.Ordinal));

        var state = Load(explicitPath: path);

        var credentials = await state.Config!.Credentials.GetAsync(default);
        Assert.Equal("file-token", credentials.Token);
        Assert.NotNull(credentials.ClientCertificate);
        Assert.True(credentials.ClientCertificate.HasPrivateKey);
        Assert.Equal("CN=ca", Assert.Single(state.Config.CertificateAuthorities!).Subject);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ec")]
    public async Task Load_InlineClientCertificate_LoadsRsaAndEcKeys(string kind)
    {
        var (certPem, keyPem) = kind == "rsa" ? TestPki.Rsa("CN=alice") : TestPki.Ec("CN=alice");
        var path = _dir.Write("config", Config(extraUser: $"""
                client-certificate-data: {TestPki.Base64(certPem)}
                client-key-data: {TestPki.Base64(keyPem)}
            """));

        var credentials = await Load(explicitPath: path).Config!.Credentials.GetAsync(default);

        Assert.Null(credentials.Token);
        Assert.Equal("CN=alice", credentials.ClientCertificate!.Subject);
        Assert.True(credentials.ClientCertificate.HasPrivateKey);
    }

    [Fact]
    public void Load_TlsSettings_AreCarriedOver()
    {
        var path = _dir.Write("config", Config().Replace("    server: https://one.example:6443", "    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: true\n    tls-server-name: api.internal", StringComparison.Ordinal));

        var config = Load(explicitPath: path).Config!;

        Assert.True(config.InsecureSkipTlsVerify);
        Assert.Equal("api.internal", config.TlsServerName);
        Assert.Null(config.CertificateAuthorities);
    }

    /// <summary>kubectl 1.32 reads YAML 1.1 booleans in a kubeconfig (sigs.k8s.io/yaml, on go-yaml v2).</summary>
    [Theory]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("y", true)]
    [InlineData("no", false)]
    [InlineData("OFF", false)]
    public void Load_Yaml11Boolean_IsABoolean(string written, bool expected)
    {
        var path = _dir.Write("config", Config().Replace("    server: https://one.example:6443", $"    server: https://one.example:6443\n    insecure-skip-tls-verify: {written}", StringComparison.Ordinal));

        Assert.Equal(expected, Load(explicitPath: path).Config!.InsecureSkipTlsVerify);
    }

    [Fact]
    public void Load_ExecUser_UsesExecProvider()
    {
        var path = _dir.Write("config", Config(extraUser: """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/plugin
                  args: ["get-token"]
                  interactiveMode: Never
            """));

        var config = Load(explicitPath: path).Config!;

        Assert.IsType<ExecCredentialProvider>(config.Credentials);
    }

    public static TheoryData<string, string, string> BrokenConfigs => new()
    {
        { "missing context", Config().Replace("current-context: one", "current-context: nope", StringComparison.Ordinal), "context 'nope'" },
        { "no current context", Config().Replace("current-context: one", "", StringComparison.Ordinal), "no current-context" },
        { "missing cluster", Config().Replace("    cluster: one", "    cluster: gone", StringComparison.Ordinal), "cluster 'gone'" },
        { "missing user", Config().Replace("    user: one", "    user: ghost", StringComparison.Ordinal), "user 'ghost'" },
        { "no server", Config().Replace("    server: https://one.example:6443", "    server: \"\"", StringComparison.Ordinal), "cluster 'one' has no server" },
        { "bad server", Config("ftp://x"), "is not an http(s) URL" },
        { "bad base64", Config().Replace("    server: https://one.example:6443", "    server: https://one.example:6443\n    certificate-authority-data: '%%%'", StringComparison.Ordinal), "certificate-authority-data is not valid base64" },
        { "not a certificate", Config().Replace("    server: https://one.example:6443", $"    server: https://one.example:6443\n    certificate-authority-data: {TestPki.Base64("hello")}", StringComparison.Ordinal), "contains no PEM certificate" },
        { "missing ca file", Config().Replace("    server: https://one.example:6443", "    server: https://one.example:6443\n    certificate-authority: nowhere/ca.crt", StringComparison.Ordinal), "certificate-authority: cannot read" },
        { "cert without key", Config(extraUser: $"    client-certificate-data: {TestPki.Base64(TestPki.Rsa().CertPem)}"), "no client-key" },
        { "auth provider", Config(extraUser: "    auth-provider:\n      name: oidc"), "auth-provider" },
        { "basic auth", Config(extraUser: "    username: admin\n    password: secret"), "basic authentication" },
        { "exec without command", Config(extraUser: "    exec:\n      apiVersion: client.authentication.k8s.io/v1"), "exec has no command" },
        { "exec old api", Config(extraUser: "    exec:\n      apiVersion: client.authentication.k8s.io/v1alpha1\n      command: x"), "v1alpha1' is not supported" },
        { "not yaml", "clusters: [unclosed", "not valid kubeconfig YAML" },
        // Typed as client-go reads YAML (via JSON): a quoted "true" is a string, a plain number is not a string. kubectl
        // 1.32 refuses both ("json: cannot unmarshal number into Go struct field AuthInfo.users.user.token of type string").
        { "quoted boolean", Config().Replace("    server: https://one.example:6443", "    server: https://one.example:6443\n    insecure-skip-tls-verify: \"true\"", StringComparison.Ordinal), "'clusters[0].cluster.insecure-skip-tls-verify' has the wrong type" },
        { "number for a string", Config(extraUser: "    token: 12345"), "'users[0].user.token' has the wrong type" },
        { "octal for a string", Config(extraUser: "    token: 0o17"), "'users[0].user.token' has the wrong type" },
        { "YAML 1.1 boolean for a string", Config(extraUser: "    token: on"), "'users[0].user.token' has the wrong type" },
        { "infinity", Config(extraUser: "    token: .inf"), "not valid kubeconfig YAML at line 10, column 12: '.inf' is not a number JSON can hold" },
        { "list for a mapping", Config().Replace("  cluster:\n    server: https://one.example:6443", "  cluster: [x]", StringComparison.Ordinal), "'clusters[0].cluster' has the wrong type" },
    };

    [Theory]
    [MemberData(nameof(BrokenConfigs))]
    public void Load_BrokenKubeconfig_ThrowsNamingTheProblem(string what, string yaml, string expected)
    {
        var path = _dir.Write($"{what.Replace(' ', '-')}/config", yaml);

        var error = Assert.Throws<KubeConfigException>(() => Load(explicitPath: path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("t-one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExplicitPathMissing_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<KubeConfigException>(() => Load(explicitPath: Path.Combine(_dir.Path, "absent")));

        Assert.Contains("Kube:Kubeconfig", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ContextOverrideUnknown_ThrowsNamingTheSetting()
    {
        var path = _dir.Write("config", Config());

        var error = Assert.Throws<KubeConfigException>(() => Load(explicitPath: path, context: "staging"));

        Assert.Contains("context 'staging' (Kube:Context)", error.Message, StringComparison.Ordinal);
    }
}

using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Certificates;

/// <summary><c>Tls:Mode=SelfManaged</c> against the fake API server: one shared Secret, renewed on time.</summary>
public sealed class SelfManagedCertificateTests : IAsyncLifetime
{
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task TwoReplicas_RacingAtFirstStart_EndWithOneSecretAndTheSameCertificate()
    {
        var starts = Enumerable.Range(0, 2).Select(_ => Task.Run(() => _cluster.StartServer(InstallHarness.SelfManaged()))).ToList();
        var servers = await Task.WhenAll(starts);

        await Eventually.WaitUntilAsync(() => servers.All(s => s.ServedThumbprint() is not null), "both replicas serve a certificate");
        var secrets = _cluster.Fake.Store.List("v1", "secrets", ReconcilerHarness.SourceNamespace).Where(s => (string?)s["type"] == "kubernetes.io/tls").ToList();
        var secret = Assert.Single(secrets);
        Assert.Equal("pullsecret-webhook", (string?)secret["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
        using var stored = X509Certificate2.CreateFromPem(Decode(_cluster.SecretValue("tls.crt")!));
        Assert.All(servers, s => Assert.Equal(stored.Thumbprint, s.ServedThumbprint()));
    }

    [Fact]
    public async Task Start_CreatesSecretWithServiceNamesChainedToTheCa()
    {
        _cluster.StartServer(InstallHarness.SelfManaged(new() { ["Tls:ServiceName"] = "hook" }));

        await Eventually.WaitUntilAsync(() => _cluster.SecretValue("tls.crt") is not null, "the TLS Secret exists");
        var secret = _cluster.TlsSecretObject()!;
        Assert.Equal("kubernetes.io/tls", (string?)secret["type"]);
        Assert.Equal(["ca.crt", "ca.key", "tls.crt", "tls.key"], secret["data"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        using var leaf = X509Certificate2.CreateFromPem(Decode(_cluster.SecretValue("tls.crt")!));
        Assert.Equal(["hook", "hook.psw-system", "hook.psw-system.svc", "hook.psw-system.svc.cluster.local"], CertificateIssuer.DnsNamesOf(leaf));
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(Decode(_cluster.SecretValue("ca.crt")!));
        Assert.True(CertificateIssuer.ChainsTo(leaf, bundle, DateTimeOffset.UtcNow));
        Assert.InRange(leaf.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromDays(364), TimeSpan.FromDays(366));
    }

    [Fact]
    public async Task ServingCertificateDueForRenewal_IsRenewedFromTheSameCa()
    {
        var old = TlsSecretMaterial.Create(InstallHarness.ServiceNames, new TlsOptions { CertificateValidity = TimeSpan.FromDays(20) }, DateTimeOffset.UtcNow);
        _cluster.PutTlsMaterial(old);
        var server = _cluster.StartServer(InstallHarness.SelfManaged());

        await Eventually.WaitUntilAsync(() => server.ServedThumbprint() is { } t && t != old.Leaf.Thumbprint, "a renewed certificate is served");
        Assert.Equal(Convert.ToBase64String(old.CaBundlePem), _cluster.SecretValue("ca.crt"));
        Assert.Equal(Convert.ToBase64String(old.CaBundlePem), _cluster.CaBundle());
        using var renewed = X509Certificate2.CreateFromPem(Decode(_cluster.SecretValue("tls.crt")!));
        Assert.Equal(server.ServedThumbprint(), renewed.Thumbprint);
        Assert.True(renewed.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(300));
    }

    [Fact]
    public async Task CaDueForRenewal_IsReplaced_AndTheOldCaStaysInTheBundle()
    {
        var old = TlsSecretMaterial.Create(InstallHarness.ServiceNames, new TlsOptions { CaValidity = TimeSpan.FromDays(20), CertificateValidity = TimeSpan.FromDays(20) }, DateTimeOffset.UtcNow);
        _cluster.PutTlsMaterial(old);
        var server = _cluster.StartServer(InstallHarness.SelfManaged());

        await Eventually.WaitUntilAsync(() => server.ServedThumbprint() is { } t && t != old.Leaf.Thumbprint, "a certificate of a new CA is served");
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(Decode(_cluster.SecretValue("ca.crt")!));
        Assert.Equal(2, bundle.Count);
        Assert.NotEqual(old.Ca.Thumbprint, bundle[0].Thumbprint);
        Assert.Equal(old.Ca.Thumbprint, bundle[1].Thumbprint);
        Assert.Equal(_cluster.SecretValue("ca.crt"), _cluster.CaBundle());
    }

    [Fact]
    public async Task InvalidSecretOfOurs_IsReplaced()
    {
        _cluster.PutSecret(ReconcilerHarness.SourceNamespace, InstallHarness.TlsSecret, JsonNode.Parse("""
            { "metadata": { "name": "pullsecret-webhook-tls", "namespace": "psw-system", "labels": { "app.kubernetes.io/managed-by": "pullsecret-webhook" } },
              "type": "kubernetes.io/tls", "data": { "tls.crt": "Z2FyYmFnZQ==", "tls.key": "Z2FyYmFnZQ==" } }
            """)!.AsObject());
        var server = _cluster.StartServer(InstallHarness.SelfManaged());

        await Eventually.WaitUntilAsync(() => server.ServedThumbprint() is not null, "a certificate is served");
        Assert.NotNull(_cluster.SecretValue("ca.key"));
    }

    [Fact]
    public async Task InvalidSecretNotOurs_IsLeftAlone_AndStopsStartUpNamingTheSetting()
    {
        _cluster.PutSecret(ReconcilerHarness.SourceNamespace, InstallHarness.TlsSecret, JsonNode.Parse("""
            { "metadata": { "name": "pullsecret-webhook-tls", "namespace": "psw-system" },
              "type": "kubernetes.io/tls", "data": { "tls.crt": "Z2FyYmFnZQ==", "tls.key": "Z2FyYmFnZQ==" } }
            """)!.AsObject());
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"psw-kubeconfig-{Guid.NewGuid():N}");
        _cluster.Fake.WriteKubeconfig(kubeconfig);
        try
        {
            var (exitCode, output) = await ServerProcess.RunUntilExitAsync(
                ["--Tls:Mode=SelfManaged", "--urls=https://127.0.0.1:0"],
                new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfig, ["POD_NAMESPACE"] = ReconcilerHarness.SourceNamespace },
                TimeSpan.FromSeconds(30));

            Assert.NotEqual(0, exitCode);
            Assert.True(output.Contains("Tls:SecretName", StringComparison.Ordinal), output);
            Assert.Equal("Z2FyYmFnZQ==", _cluster.SecretValue("tls.crt"));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public async Task ApiServerFailingAtStart_ServerStartsNotReady_AndBecomesReadyOnceItAnswers()
    {
        _cluster.Fake.Faults.FailNext(1000, null, "/secrets/pullsecret-webhook-tls", 503);
        var server = _cluster.StartServer(InstallHarness.SelfManaged(new() { ["Kube:MaxRetries"] = "0" }));
        using var client = server.CreateClient();

        using (var notReady = await client.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }

        _cluster.Fake.Faults.Clear();
        await Eventually.WaitUntilAsync(() => server.ServedThumbprint() is not null, "a certificate is loaded once the API server answers");
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }

    private static string Decode(string base64) => Encoding.ASCII.GetString(Convert.FromBase64String(base64));
}

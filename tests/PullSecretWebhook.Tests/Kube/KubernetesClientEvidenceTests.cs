using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FakeKubeApiServer;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;
using k8s;
using k8s.Autorest;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>What the official client (KubernetesClient 21.0.8) does with a server certificate, shown rather than
/// asserted in prose: with a CA configured (<c>SslCaCerts</c>, as in-cluster and ordinary kubeconfigs set it), its own
/// certificate callback checks the chain but not the host name, so a certificate for another host is accepted. Putting
/// the CA into the handler's <c>CertificateChainPolicy</c> instead keeps .NET's full check (chain and name). Whoever
/// moves the product onto the package must configure it the second way; if the package is fixed, the first test
/// fails and says so. Likewise for error answers: without the product's handlers, the package's exception carries the
/// request body (a Secret's data) and leaves the server's Status unparsed.</summary>
public sealed class KubernetesClientEvidenceTests : IDisposable
{
    private readonly TestCertificates _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task KubernetesClient_CaInSslCaCerts_AcceptsACertificateForAnotherHost()
    {
        await using var server = await ApiServerAsync("wrong.example");
        using var client = new Kubernetes(new KubernetesClientConfiguration
        {
            Host = server.Url,
            SslCaCerts = [X509CertificateLoader.LoadCertificate(_pki.Ca.RawData)],
            AccessToken = "token",
        });

        var namespaces = await client.CoreV1.ListNamespaceAsync();

        Assert.Empty(namespaces.Items);
    }

    [Fact]
    public async Task KubernetesClient_CaInTheChainPolicy_RefusesACertificateForAnotherHost()
    {
        await using var server = await ApiServerAsync("wrong.example");
        using var client = new Kubernetes(ChainPolicyConfiguration(server.Url));

        var error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());

        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task KubernetesClient_CaInTheChainPolicy_AcceptsTheRightHost()
    {
        await using var server = await ApiServerAsync("127.0.0.1");
        using var client = new Kubernetes(ChainPolicyConfiguration(server.Url));

        var namespaces = await client.CoreV1.ListNamespaceAsync();

        Assert.Empty(namespaces.Items);
    }

    [Fact]
    public async Task KubernetesClient_ErrorAnswerToASecretWrite_CarriesTheSecretsDataAndNoParsedStatus()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions());
        using var client = new Kubernetes(new KubernetesClientConfiguration
        {
            Host = server.BaseAddress.ToString(),
            SslCaCerts = [X509CertificateLoader.LoadCertificate(server.CaCertificate.RawData)],
            AccessToken = server.Token,
        });
        const string Value = "evidence-plaintext-7f3a";
        var secret = TestObjects.Secret("default", "taken", value: Value);
        await client.CoreV1.CreateNamespacedSecretAsync(secret, "default");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedSecretAsync(secret, "default"));

        // The request as sent, Secret data (base64, as JSON carries bytes) included, rides on the exception.
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(Value)), error.Request.Content, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);

        // The server's Status is left as text: Body is not parsed, so AlreadyExists and Conflict (both 409) look alike.
        Assert.Null(error.Body);
        Assert.Contains("\"reason\":\"AlreadyExists\"", error.Response.Content, StringComparison.Ordinal);
    }

    private KubernetesClientConfiguration ChainPolicyConfiguration(string url) => new()
    {
        Host = url,
        AccessToken = "token",
        FirstMessageHandlerSetup = handler =>
        {
            var sockets = Assert.IsType<SocketsHttpHandler>(handler);
            sockets.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { X509CertificateLoader.LoadCertificate(_pki.Ca.RawData) },
                RevocationMode = X509RevocationMode.NoCheck,
            };
        },
    };

    private Task<LoopbackApiServer> ApiServerAsync(string name) => LoopbackApiServer.StartAsync(_pki, name);
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>What the official client (KubernetesClient 21.0.8) does with a server certificate, shown rather than
/// asserted in prose: with a CA configured (<c>SslCaCerts</c>, as in-cluster and ordinary kubeconfigs set it), its own
/// certificate callback checks the chain but not the host name, so a certificate for another host is accepted. Putting
/// the CA into the handler's <c>CertificateChainPolicy</c> instead keeps .NET's full check (chain and name). Whoever
/// moves the product onto the package must configure it the second way; if the package is fixed, the first test
/// fails and says so.</summary>
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

    /// <summary>A stand-in API server on 127.0.0.1 whose certificate, signed by the test CA, names only
    /// <paramref name="name"/> (a DNS name, or an IP address).</summary>
    private async Task<LoopbackApiServer> ApiServerAsync(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(name, out var address))
        {
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(_pki.Ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1), RandomNumberGenerator.GetBytes(16));
        var certificate = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.MapGet("/api/v1/namespaces", () => Results.Text("""{"apiVersion":"v1","kind":"NamespaceList","metadata":{},"items":[]}""", "application/json"));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackApiServer(app, url, certificate);
    }

    private sealed record LoopbackApiServer(WebApplication App, string Url, X509Certificate2 Certificate) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            Certificate.Dispose();
        }
    }
}

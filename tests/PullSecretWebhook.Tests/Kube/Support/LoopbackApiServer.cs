using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Kube.Support;

/// <summary>A stand-in API server on 127.0.0.1 that answers only <c>GET /api/v1/namespaces</c> (an empty list), served
/// with a certificate of the caller's choosing: the fake API server's own certificate always names the loopback host,
/// so host-name checks need this one.</summary>
internal sealed record LoopbackApiServer(WebApplication App, string Url, X509Certificate2 Certificate) : IAsyncDisposable
{
    /// <summary>Starts one whose certificate, signed by <paramref name="pki"/>'s CA, names only <paramref name="name"/>
    /// (a DNS name, or an IP address).</summary>
    public static async Task<LoopbackApiServer> StartAsync(TestCertificates pki, string name)
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
        using var issued = request.Create(pki.Ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1), RandomNumberGenerator.GetBytes(16));
        var certificate = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.MapGet("/api/v1/namespaces", () => Results.Text("""{"apiVersion":"v1","kind":"NamespaceList","metadata":{},"items":[]}""", "application/json"));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackApiServer(app, url, certificate);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Certificate.Dispose();
    }
}

using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hardening.Support;

/// <summary>The real server on Kestrel, on a loopback port, over real TLS (the development certificate), as the API
/// server reaches it: the hardening tests exercise Kestrel's own limits and connection handling, which an in-memory
/// test server would bypass.</summary>
internal sealed class LoopbackWebhook : IAsyncDisposable
{
    private LoopbackWebhook(WebhookFactory factory, Uri address)
    {
        Factory = factory;
        Address = address;
    }

    public WebhookFactory Factory { get; }

    /// <summary>e.g. https://127.0.0.1:PORT/</summary>
    public Uri Address { get; }

    public IServiceProvider Services => Factory.Services;

    public static LoopbackWebhook Start(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?> { ["urls"] = "https://127.0.0.1:0", ["Tls:Mode"] = "Development" };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var factory = new WebhookFactory(all, services: services);
        factory.UseKestrel();
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new LoopbackWebhook(factory, new Uri(addresses.Single(a => a.StartsWith("https://127.0.0.1:", StringComparison.Ordinal))));
    }

    /// <summary>A client that reuses at most <paramref name="connections"/> connections (HTTP/1.1) or multiplexes on
    /// one (HTTP/2). The development certificate is self-signed: trusted by being exactly the one the server holds.</summary>
    public HttpClient CreateClient(Version version, int connections = 1)
    {
#pragma warning disable CA2000 // Owned and disposed by the HttpClient.
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => IsServing(certificate) },
        };
#pragma warning restore CA2000
        return new HttpClient(handler)
        {
            BaseAddress = Address,
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>A raw TLS connection (HTTP/1.1 by ALPN), for sending bytes at a pace no HttpClient would.</summary>
    public async Task<(TcpClient Tcp, SslStream Tls)> ConnectRawAsync(CancellationToken cancellationToken = default)
    {
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, Address.Port, cancellationToken);
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) => IsServing(certificate));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, cancellationToken);
            return (tcp, tls);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private bool IsServing(X509Certificate? presented) =>
        presented is not null && Services.GetRequiredService<ServingCertificate>().Current is { } current
        && presented.GetCertHashString() == current.Thumbprint;

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}

using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FakeKubeApiServer.Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace FakeKubeApiServer.Hosting;

/// <summary>
/// A bare Kestrel on a loopback port: HTTP/1.1 and HTTP/2 over TLS (what client-go negotiates),
/// or HTTP/1.1 in plain mode. TLS asks for a client certificate and accepts only those signed by
/// the fake's CA (tls.VerifyClientCertIfGiven, as kube-apiserver), announcing that CA in the
/// handshake so clients know which certificate to send.
/// </summary>
internal static class KestrelHost
{
    public static async Task<(WebApplication App, int Port)> StartAsync(int port, CertificateAuthority? ca, RequestDelegate handler, CancellationToken ct)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // client-go multiplexes every watch of a process over one HTTP/2 connection;
            // kube-apiserver allows far more than Kestrel's default of 100 streams.
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                if (ca is null)
                {
                    listen.Protocols = HttpProtocols.Http1;
                    return;
                }

                listen.Protocols = HttpProtocols.Http1AndHttp2;
                var certificateContext = SslStreamCertificateContext.Create(
                    ca.ServingCertificate,
                    additionalCertificates: null,
                    offline: true,
                    trust: SslCertificateTrust.CreateForX509Collection([ca.Certificate], sendTrustInHandshake: true));
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = certificateContext,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        ClientCertificateRequired = true,
                        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                            certificate is null || ca.Signed(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData())),
                    }),
                });
            });
        });

        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address).Port);
    }
}

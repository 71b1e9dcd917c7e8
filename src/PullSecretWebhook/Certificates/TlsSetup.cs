using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;
using PullSecretWebhook.Kube;

namespace PullSecretWebhook.Certificates;

/// <summary>Kestrel's HTTPS: TLS 1.2 and 1.3 only, HTTP/1.1 and HTTP/2 (ALPN), the certificate read from
/// <see cref="ServingCertificate"/> on every handshake. Endpoints come from the standard <c>urls</c> setting
/// (<c>--urls</c>, default <c>https://0.0.0.0:8443</c>); TLS is set up with a per-connection callback, the only
/// Kestrel hook that serves a rotating certificate together with its prepared chain (intermediates included, no
/// chain build per handshake).</summary>
internal static class TlsSetup
{
    public const string DefaultUrls = "https://0.0.0.0:8443";

    private static readonly List<SslApplicationProtocol> Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    public static WebApplicationBuilder AddTls(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TlsOptions>().BindConfiguration(TlsOptions.Section).ValidateWith(new TlsOptionsValidator()).ValidateOnStart();
        builder.Services.AddSingleton<ServingCertificate>();
        builder.Services.AddSingleton<CaBundlePublisher>();
        builder.Services.AddSingleton<TlsSecretStore>();
        builder.Services.AddSingleton(SelectMode);
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ResolvedTlsMode>().Mode is var mode && mode == TlsMode.SelfManaged
            ? ActivatorUtilities.CreateInstance<SelfManagedCertificateService>(sp)
            : ActivatorUtilities.CreateInstance<CertificateService>(sp, mode));

        // Validate early: a plain-http or unparsable URL stops start-up with a message naming the setting.
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : DefaultUrls;
        _ = ListenUrls.Parse(urls);
        builder.WebHost.UseUrls(urls);
        builder.Services.AddOptions<KestrelServerOptions>().Configure<ServingCertificate>((kestrel, serving) =>
        {
            kestrel.AddServerHeader = false;
            var tls = new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = serving.Context
                        ?? throw new AuthenticationException("no serving certificate is loaded yet"),
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ApplicationProtocols = Alpn,
                    ClientCertificateRequired = false,
                }),
            };
            // Kestrel applies endpoint defaults to the endpoints it makes from the urls, and adds its own HTTPS only
            // to endpoints that are not TLS already.
            kestrel.ConfigureEndpointDefaults(listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(tls);
            });
        });
        return builder;
    }

    /// <summary>The effective <c>Tls:Mode</c> (resolving <c>Auto</c>); a mode the environment cannot support stops
    /// start-up naming the setting.</summary>
    private static ResolvedTlsMode SelectMode(IServiceProvider services)
    {
        var state = services.GetRequiredService<KubeConnectionState>();
        var mode = services.GetRequiredService<IOptions<TlsOptions>>().Value
            .Resolve(ClusterPresence.IsInCluster(state, services.GetRequiredService<KubeEnvironment>()));
        return mode == TlsMode.SelfManaged && !state.IsConnected
            ? throw new SettingsException($"Tls:Mode SelfManaged keeps the certificate in a Secret and needs a Kubernetes connection, but there is none ({state.Description}).")
            : new ResolvedTlsMode(mode);
    }
}

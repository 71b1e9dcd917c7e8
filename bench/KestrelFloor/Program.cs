using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

// The framework floor for the webhook benchmark: the same host builder, Kestrel settings and TLS set-up as
// PullSecretWebhook (TLS 1.2/1.3, ALPN h2 + http/1.1, certificate context handed out per handshake), and an endpoint
// that reads the whole body and answers a constant AdmissionReview. Whatever the webhook costs beyond this is ours.
//
// usage: kestrel-floor --urls https://127.0.0.1:PORT --cert FILE --key FILE --response FILE
var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;
var response = await File.ReadAllBytesAsync(config["response"] ?? throw new ArgumentException("--response FILE is required"));
using var certificate = LoadCertificate(config["cert"], config["key"]);
var context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null);
List<SslApplicationProtocol> alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    var tls = new TlsHandshakeCallbackOptions
    {
        OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = alpn,
            ClientCertificateRequired = false,
        }),
    };
    kestrel.ConfigureEndpointDefaults(listen =>
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(tls);
    });
});

var app = builder.Build();
app.MapGet("/readyz", () => "ok");
app.MapPost("/mutate", async (HttpContext http) =>
{
    var reader = http.Request.BodyReader;
    while (true)
    {
        var result = await reader.ReadAsync(http.RequestAborted);
        reader.AdvanceTo(result.Buffer.End);
        if (result.IsCompleted)
        {
            break;
        }
    }

    http.Response.ContentType = "application/json";
    http.Response.ContentLength = response.Length;
    await http.Response.Body.WriteAsync(response, http.RequestAborted);
});
await app.RunAsync();

static X509Certificate2 LoadCertificate(string? certFile, string? keyFile)
{
    using var pem = X509Certificate2.CreateFromPemFile(
        certFile ?? throw new ArgumentException("--cert FILE is required"),
        keyFile ?? throw new ArgumentException("--key FILE is required"));
    // An ephemeral PEM key cannot be used by SslStream on every platform; round-trip through PKCS#12 as Kestrel does.
    return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
}

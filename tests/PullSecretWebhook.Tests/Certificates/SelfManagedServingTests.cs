using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Certificates;

/// <summary>The self-managed certificate, served by Kestrel over real TLS, verifies against the Secret's ca.crt the
/// way the API server verifies it against caBundle.</summary>
public sealed class SelfManagedServingTests : IAsyncLifetime
{
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"psw-kubeconfig-{Guid.NewGuid():N}");
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        File.Delete(_kubeconfig);
    }

    [Fact]
    public async Task Serve_SelfManagedCertificate_ChainsToTheSecretsCaBundle()
    {
        var settings = InstallHarness.SelfManaged(new()
        {
            ["urls"] = "https://127.0.0.1:0",
            ["KUBECONFIG"] = _cluster.Fake.WriteKubeconfig(_kubeconfig),
            ["POD_NAMESPACE"] = ReconcilerHarness.SourceNamespace,
            ["Registration:Enabled"] = "false",
        });
        await using var factory = new WebhookFactory(settings);
        factory.UseKestrel();
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(_cluster.SecretValue("ca.crt")!)));
        string[]? names = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                // The names are the Service's, not 127.0.0.1: check the chain here and the names below.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var served = new X509Certificate2(certificate!);
                    names = [.. CertificateIssuer.DnsNamesOf(served)];
                    return CertificateIssuer.ChainsTo(served, bundle, DateTimeOffset.UtcNow);
                },
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = address };

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains($"pullsecret-webhook.{ReconcilerHarness.SourceNamespace}.svc", names!);
    }
}

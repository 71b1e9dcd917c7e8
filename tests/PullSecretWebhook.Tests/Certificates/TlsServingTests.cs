using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Certificates;

/// <summary>The real server on a loopback port over real TLS, with the certificate from files laid out the way the
/// kubelet mounts a Secret (<c>tls.crt -> ..data/tls.crt</c>, <c>..data -> ..timestamp</c>), rotated by swapping
/// the <c>..data</c> link as the kubelet does.</summary>
public sealed class TlsServingTests : IDisposable
{
    private readonly TestCertificates _certificates = new();
    private readonly string _mount = Directory.CreateTempSubdirectory("psw-tls-").FullName;
    private int _generation;

    public void Dispose()
    {
        _certificates.Dispose();
        Directory.Delete(_mount, recursive: true);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Serve_OverTls_AnswersAdmissionReviewsInHttpVersion(string version)
    {
        var first = _certificates.IssueServing("webhook-1");
        WriteMountedSecret(first.CertPem, first.KeyPem);
        await using var factory = StartKestrel();

        var (served, negotiated, body) = await PostReviewAsync(ServerUri(factory), Version.Parse(version));

        Assert.Equal(first.Thumbprint, served);
        Assert.Equal(Version.Parse(version), negotiated);
        Assert.NotNull(AdmissionClient.Patch(JsonNode.Parse(body)!.AsObject()));
    }

    [Fact]
    public async Task Serve_WhenMountedSecretRotates_ServesNewCertificateWithoutRestart()
    {
        var first = _certificates.IssueServing("webhook-1");
        WriteMountedSecret(first.CertPem, first.KeyPem);
        await using var factory = StartKestrel();
        var uri = ServerUri(factory);
        Assert.Equal(first.Thumbprint, (await PostReviewAsync(uri, HttpVersion.Version11)).Thumbprint);

        var second = _certificates.IssueServing("webhook-2");
        WriteMountedSecret(second.CertPem, second.KeyPem);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        string? served;
        do
        {
            served = (await PostReviewAsync(uri, HttpVersion.Version11)).Thumbprint;
        }
        while (served != second.Thumbprint && DateTime.UtcNow < deadline && await Pause());

        Assert.Equal(second.Thumbprint, served);
    }

    [Fact]
    public async Task Serve_WhenRotatedFilesAreBroken_KeepsServingPreviousCertificate()
    {
        var first = _certificates.IssueServing("webhook-1");
        WriteMountedSecret(first.CertPem, first.KeyPem);
        await using var factory = StartKestrel();
        var uri = ServerUri(factory);

        var other = _certificates.IssueServing("webhook-other");
        WriteMountedSecret(first.CertPem, other.KeyPem); // key does not match the certificate
        var third = _certificates.IssueServing("webhook-3");
        WriteMountedSecret(third.CertPem, third.KeyPem);

        // The broken pair in between never replaced the good one; the next good pair does.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string? served;
        do
        {
            served = (await PostReviewAsync(uri, HttpVersion.Version11)).Thumbprint;
            Assert.True(served == first.Thumbprint || served == third.Thumbprint, "served an unexpected certificate");
        }
        while (served != third.Thumbprint && DateTime.UtcNow < deadline && await Pause());

        Assert.Equal(third.Thumbprint, served);
    }

    [Fact]
    public async Task Start_WithKeyThatDoesNotMatch_ExitsNamingTheSetting()
    {
        var first = _certificates.IssueServing("webhook-1");
        var other = _certificates.IssueServing("webhook-2");
        WriteMountedSecret(first.CertPem, other.KeyPem);

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync([
            "--urls=https://127.0.0.1:0",
            $"--Tls:CertFile={Path.Combine(_mount, "tls.crt")}",
            $"--Tls:KeyFile={Path.Combine(_mount, "tls.key")}"]);

        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains("Tls:KeyFile", StringComparison.Ordinal), output);
    }

    private WebhookFactory Factory() => new(new()
    {
        ["urls"] = "https://127.0.0.1:0",
        ["Tls:CertFile"] = Path.Combine(_mount, "tls.crt"),
        ["Tls:KeyFile"] = Path.Combine(_mount, "tls.key"),
    });

    private WebhookFactory StartKestrel()
    {
        var factory = Factory();
        factory.UseKestrel();
        factory.StartServer();
        return factory;
    }

    private static Uri ServerUri(WebhookFactory factory)
    {
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.Single(a => a.StartsWith("https://127.0.0.1:", StringComparison.Ordinal)));
    }

    /// <summary>Posts a review on a new connection and reports the certificate the server presented.</summary>
    private async Task<(string? Thumbprint, Version Version, string Body)> PostReviewAsync(Uri server, Version version)
    {
        X509Certificate2? presented = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate is null ? null : new X509Certificate2(certificate);
                    return _certificates.Trusts(presented);
                },
            },
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/mutate"))
        {
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(Reviews.PodCreate().ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using (presented)
        {
            return (presented?.Thumbprint, response.Version, body);
        }
    }

    /// <summary>Writes a new generation and swaps the ..data link atomically, as the kubelet's AtomicWriter does.</summary>
    private void WriteMountedSecret(string certPem, string keyPem)
    {
        var generation = $"..gen_{++_generation}";
        var directory = Path.Combine(_mount, generation);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "tls.crt"), certPem);
        File.WriteAllText(Path.Combine(directory, "tls.key"), keyPem);

        var temporary = Path.Combine(_mount, "..data_tmp");
        File.CreateSymbolicLink(temporary, generation);
        // rename(2) replaces the old link atomically; File.Move would follow the link to the directory it names.
        if (Rename(temporary, Path.Combine(_mount, "..data")) != 0)
        {
            throw new IOException($"rename failed: errno {Marshal.GetLastPInvokeError()}");
        }

        foreach (var name in new[] { "tls.crt", "tls.key" })
        {
            var link = Path.Combine(_mount, name);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, Path.Combine("..data", name));
            }
        }
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    /// <summary>A short yield between polls of a condition (never a fixed wait for an outcome).</summary>
    private static async Task<bool> Pause()
    {
        await Task.Delay(50);
        return true;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Hosting;

/// <summary>The fake as its own process: kubeconfig, "ready" line, admin endpoint, SIGTERM.</summary>
public sealed partial class StandaloneProcessTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fake-standalone-").FullName;
    private Process? _process;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Standalone_PrintsReady_ServesAdminEndpoint_AndStopsOnSigterm()
    {
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "FakeKubeApiServer.dll"), "--port", "0", "--kubeconfig", kubeconfig, "--history", "5" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start)!;

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ready = await _process.StandardOutput.ReadLineAsync(deadline.Token);
        Assert.StartsWith("ready https://127.0.0.1:", ready, StringComparison.Ordinal);

        using var client = ClientFrom(await File.ReadAllTextAsync(kubeconfig, deadline.Token));
        var fault = await client.PostAsync("/_fake/faults", new StringContent("""{"count":1,"verb":"list","pathContains":"/namespaces","status":503}""", Encoding.UTF8, "application/json"), deadline.Token);
        Assert.Equal(HttpStatusCode.OK, fault.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/api/v1/namespaces", deadline.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/namespaces", deadline.Token)).StatusCode);

        var log = JsonNode.Parse(await client.GetStringAsync("/_fake/requests", deadline.Token))!.AsArray();
        Assert.Equal([503, 200], log.Select(e => e!["status"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync("/_fake/requests", deadline.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/_fake/forget-history", null, deadline.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/_fake/close-watches", null, deadline.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/_fake/restart", null, deadline.Token)).StatusCode);
        await Eventually.TrueAsync(async () => await RestartsAsync(client) == 1, "the restart to complete");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/namespaces", deadline.Token)).StatusCode);

        using var anonymous = ClientFrom(await File.ReadAllTextAsync(kubeconfig, deadline.Token), token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/_fake/requests", deadline.Token)).StatusCode);

        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitForExit();
        await _process.WaitForExitAsync(deadline.Token);
        Assert.Equal(0, _process.ExitCode);
    }

    [Fact]
    public async Task Standalone_UnknownArgument_ExitsWithUsageError()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "FakeKubeApiServer.dll"), "--bogus" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var error = await process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("unknown argument --bogus", error, StringComparison.Ordinal);
    }

    /// <summary>Completed restarts, or -1 while the fake is not answering.</summary>
    private static async Task<int> RestartsAsync(HttpClient client)
    {
        try
        {
            var status = JsonNode.Parse(await client.GetStringAsync("/_fake/status"))!;
            return status["restarts"]!.GetValue<int>();
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }

    /// <summary>An HttpClient configured from the kubeconfig the fake wrote, as a client library would.</summary>
    private static HttpClient ClientFrom(string kubeconfig, string? token = "")
    {
        var server = ServerRegex().Match(kubeconfig).Groups[1].Value;
        var ca = Encoding.ASCII.GetString(Convert.FromBase64String(CaRegex().Match(kubeconfig).Groups[1].Value));
        var bearer = TokenRegex().Match(kubeconfig).Groups[1].Value;
        var caCertificate = X509Certificate2.CreateFromPem(ca);
#pragma warning disable CA2000 // Owned by the HttpClient.
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(1) };
#pragma warning restore CA2000
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(caCertificate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is not null && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(server) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Length > 0 ? token : bearer);
        }

        return client;
    }

    [GeneratedRegex(@"server: (\S+)")]
    private static partial Regex ServerRegex();

    [GeneratedRegex(@"certificate-authority-data: (\S+)")]
    private static partial Regex CaRegex();

    [GeneratedRegex("token: \"([^\"]+)\"")]
    private static partial Regex TokenRegex();
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Deploy;

/// <summary>The Dockerfile cannot be built here (no Docker engine), so its build commands are run as written and the
/// published executable is started: it serves <c>/healthz</c> and exits 0 on SIGTERM.</summary>
public sealed partial class DockerfileTests : IDisposable
{
    private readonly TempDirectory _app = new();
    private readonly string _dockerfile = File.ReadAllText(RepositoryFiles.PathOf("Dockerfile"));

    public void Dispose() => _app.Dispose();

    [Fact]
    public void Dockerfile_RuntimeStage_IsPinnedNonRootAndServesHttps()
    {
        // The Native AOT executable needs no .NET runtime in the image, only its native dependencies.
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/runtime-deps:10\.0(@sha256:[0-9a-f]{64})? AS runtime$", _dockerfile);
        Assert.DoesNotContain(":latest", _dockerfile, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^USER 65532:65532$", _dockerfile);
        Assert.Matches(@"(?m)^EXPOSE 8443$", _dockerfile);
        Assert.Matches(@"(?m)^ENTRYPOINT \[""/app/pullsecret-webhook""\]$", _dockerfile);
        // Restore happens before the sources are copied, so the restore layer survives source changes.
        Assert.True(_dockerfile.IndexOf("RUN dotnet restore", StringComparison.Ordinal) < _dockerfile.IndexOf("COPY src/ src/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dockerfile_BuildCommands_PublishAnExecutableThatServesAndStopsOnSigterm()
    {
        // The end-to-end tier publishes the same project at the same time: one publish at a time.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        using (await PublishGate.EnterAsync(RepositoryFiles.Root, deadline.Token))
        {
            foreach (var command in RunLines().Select(c => c.Replace(" -o /app", $" -o {_app.Path}", StringComparison.Ordinal)))
            {
                var arguments = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var (exitCode, stdout, stderr) = await RepositoryFiles.RunAsync(arguments[0], arguments[1..], deadline: TimeSpan.FromMinutes(15),
                    installHint: "Native AOT needs clang and zlib1g-dev (`bash .ci/run` installs them)");
                Assert.True(exitCode == 0, $"{command}\n{stdout}\n{stderr}");
            }
        }

        // One native executable and its settings: no managed assemblies, no runtime, no debug symbols in the image.
        var executable = Path.Combine(_app.Path, "pullsecret-webhook");
        Assert.True(File.Exists(executable), "the publish output has no pullsecret-webhook executable");
        Assert.Equal(["appsettings.json", "pullsecret-webhook"], Directory.GetFiles(_app.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var port = FreePort();
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _app.Path };
        start.ArgumentList.Add($"--urls=https://127.0.0.1:{port}");
        start.ArgumentList.Add("--Shutdown:DrainDelay=00:00:00");
        start.Environment["HOME"] = _app.Path;
        start.Environment["KUBECONFIG"] = "";
        start.Environment["KUBERNETES_SERVICE_HOST"] = "";
        start.Environment["POD_NAMESPACE"] = "pullsecret-webhook";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await WaitForHealthAsync(port, process);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, await output + await errors);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>The Dockerfile's <c>RUN dotnet ...</c> lines, in order.</summary>
    private List<string> RunLines() => [.. RunDotnet().Matches(_dockerfile).Select(m => m.Groups[1].Value.Trim())];

    private static async Task WaitForHealthAsync(int port, Process process)
    {
        using var handler = new SocketsHttpHandler
        {
            // The development certificate: self-signed for localhost, identified by its subject.
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject.Contains("pullsecret-webhook development", StringComparison.Ordinal) == true },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, "the published server exited at start-up");
            try
            {
                using var response = await client.GetAsync(new Uri($"https://127.0.0.1:{port}/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the published server did not serve /healthz in time");
            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"(?m)^RUN (dotnet .+)$")]
    private static partial Regex RunDotnet();
}

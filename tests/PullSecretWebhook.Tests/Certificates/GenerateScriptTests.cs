using System.Security.Cryptography.X509Certificates;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Certificates;

/// <summary><c>certs/generate.sh</c>, run as an operator would, in a scratch directory.</summary>
public sealed class GenerateScriptTests : IDisposable
{
    private readonly TempDirectory _out = new();

    public void Dispose() => _out.Dispose();

    [Fact]
    public async Task Generate_WritesServingCertificateForTheServiceChainedToTheCa_AndPrintsTheCaBundle()
    {
        var (exitCode, stdout, stderr) = await RunAsync("--service", "hook", "--namespace=team-a", "--out", _out.Path);

        Assert.True(exitCode == 0, stderr);
        using var leaf = X509Certificate2.CreateFromPemFile(Path.Combine(_out.Path, "tls.crt"), Path.Combine(_out.Path, "tls.key"));
        Assert.Equal(["hook", "hook.team-a", "hook.team-a.svc", "hook.team-a.svc.cluster.local"], CertificateIssuer.DnsNamesOf(leaf));
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(Path.Combine(_out.Path, "ca.crt"));
        Assert.True(CertificateIssuer.ChainsTo(leaf, ca, DateTimeOffset.UtcNow));
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(Path.Combine(_out.Path, "ca.crt"))), stdout.Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_out.Path, "tls.key")));
        }

        // The server's Files mode loads the pair as written.
        Assert.Equal(leaf.Thumbprint, PemCertificateLoader.Load(Path.Combine(_out.Path, "tls.crt"), Path.Combine(_out.Path, "tls.key")).Leaf.Thumbprint);
    }

    [Fact]
    public async Task Help_PrintsUsage()
    {
        var (exitCode, stdout, _) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage: certs/generate.sh", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--service", "Not_A_Label")]
    [InlineData("--days")]
    public async Task BadArguments_ExitWithUsageError(params string[] arguments)
    {
        var (exitCode, _, stderr) = await RunAsync([.. arguments, "--out", _out.Path]);

        Assert.Equal(2, exitCode);
        Assert.Contains("generate.sh:", stderr, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        RepositoryFiles.RunAsync("bash", [RepositoryFiles.PathOf("certs/generate.sh"), .. arguments], installHint: "bash and openssl are needed");
}

using PullSecretWebhook.Certificates;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Certificates;

/// <summary>How <c>Tls:Mode=Auto</c> resolves, and the start-up checks of the modes.</summary>
public sealed class TlsModeTests
{
    [Theory]
    [InlineData(nameof(TlsMode.Auto), "/tls/tls.crt", false, nameof(TlsMode.Files))]
    [InlineData(nameof(TlsMode.Auto), "/tls/tls.crt", true, nameof(TlsMode.Files))]
    [InlineData(nameof(TlsMode.Auto), null, true, nameof(TlsMode.SelfManaged))]
    [InlineData(nameof(TlsMode.Auto), null, false, nameof(TlsMode.Development))]
    [InlineData(nameof(TlsMode.Development), null, true, nameof(TlsMode.Development))]
    [InlineData(nameof(TlsMode.SelfManaged), null, false, nameof(TlsMode.SelfManaged))]
    public void Resolve_PicksTheModeOfTheEnvironment(string configured, string? certFile, bool inCluster, string expected) =>
        Assert.Equal(Enum.Parse<TlsMode>(expected), new TlsOptions { Mode = Enum.Parse<TlsMode>(configured), CertFile = certFile, KeyFile = certFile }.Resolve(inCluster));

    [Fact]
    public async Task SelfManaged_WithoutCluster_StopsStartUpNamingTheSetting()
    {
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(["--Tls:Mode=SelfManaged", "--urls=https://127.0.0.1:0"], deadline: TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains("Tls:Mode SelfManaged", StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task RegistrationEnabled_WithoutCluster_StopsStartUpNamingTheSetting()
    {
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(["--Registration:Enabled=true", "--urls=https://127.0.0.1:0"], deadline: TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains("Registration:Enabled", StringComparison.Ordinal), output);
    }
}

using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hosting;

/// <summary>The TLS, registration and shutdown settings are validated at start-up — the real process exits non-zero —
/// with messages naming them.</summary>
public sealed class InstallSettingsValidationTests
{
    public static TheoryData<string, string, string> BadSettings() => new()
    {
        { "Tls:ServiceName", "Not_A_Label", "Tls:ServiceName" },
        { "Tls:SecretName", "Bad Name", "Tls:SecretName" },
        { "Tls:SecretPollInterval", "00:00:00", "Tls:SecretPollInterval" },
        { "Tls:RenewBefore", "00:01:00", "Tls:RenewBefore" },
        { "Tls:CertificateValidity", "10.00:00:00", "Tls:CertificateValidity" },
        { "Registration:Name", "Bad_Name", "Registration:Name" },
        { "Registration:TimeoutSeconds", "31", "Registration:TimeoutSeconds" },
        { "Shutdown:Timeout", "00:00:00", "Shutdown:Timeout" },
        { "Shutdown:DrainDelay", "00:01:00", "Shutdown:DrainDelay" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_WithBadSetting_ExitsNamingIt(string key, string value, string expected)
    {
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync([$"--{key}={value}", "--urls=https://127.0.0.1:0"], deadline: TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains(expected, StringComparison.Ordinal), output);
    }
}

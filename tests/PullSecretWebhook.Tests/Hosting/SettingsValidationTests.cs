using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hosting;

/// <summary>Bad settings stop start-up with a message naming the setting.</summary>
public sealed class SettingsValidationTests
{
    public static TheoryData<string, string, string> BadSettings() => new()
    {
        { "Target:SecretName", "Not_A_Name", "Target:SecretName" },
        { "Target:SecretName", "", "SecretName" },
        { "Admission:MaxRequestBodyBytes", "10", "Admission:MaxRequestBodyBytes" },
        { "Admission:MaxRequestBodyBytes", "lots", "Admission:MaxRequestBodyBytes" },
        { "Tls:Mode", "Sometimes", "Tls:Mode" },
        { "Tls:Mode", "Files", "Tls:CertFile and Tls:KeyFile" },
        { "Tls:ReloadInterval", "00:00:00.1", "Tls:ReloadInterval" },
        { "urls", "http://0.0.0.0:8080", "urls" },
        { "urls", "https://example.com:8443", "urls" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_WithBadSetting_FailsNamingIt(string key, string value, string expected)
    {
        await using var factory = new WebhookFactory(new() { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.True(error.ToString().Contains(expected, StringComparison.Ordinal), error.ToString());
    }

    [Fact]
    public async Task Start_WithOnlyCertFile_FailsNamingBothSettings()
    {
        await using var factory = new WebhookFactory(new() { ["Tls:CertFile"] = "/nonexistent/tls.crt" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Tls:CertFile and Tls:KeyFile", error.ToString(), StringComparison.Ordinal);
    }
}

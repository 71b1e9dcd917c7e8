using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hosting;

/// <summary>Bad settings stop start-up — the real process exits non-zero — with a message naming the setting.</summary>
public sealed class SettingsValidationTests
{
    public static TheoryData<string, string, string> BadSettings() => new()
    {
        { "Target:SecretName", "Not_A_Name", "Target:SecretName" },
        { "Admission:MaxRequestBodyBytes", "10", "Admission:MaxRequestBodyBytes" },
        { "Admission:MaxRequestBodyBytes", "lots", "Admission:MaxRequestBodyBytes" },
        { "Tls:Mode", "Sometimes", "Tls:Mode" },
        { "Injection:Mode", "Sometimes", "Injection:Mode" },
        { "Tls:Mode", "Files", "Tls:CertFile and Tls:KeyFile" },
        { "Tls:ReloadInterval", "00:00:00.1", "Tls:ReloadInterval" },
        { "Tls:CertFile", "/nonexistent/tls.crt", "Tls:CertFile and Tls:KeyFile" },
        { "urls", "http://0.0.0.0:8080", "urls" },
        { "urls", "https://example.com:8443", "urls" },
        { "Reconciler:Concurrency", "0", "Reconciler:Concurrency" },
        { "Reconciler:ResyncPeriod", "00:00:01", "Reconciler:ResyncPeriod" },
        { "Kube:Qps", "0", "Kube:Qps" },
        { "CredentialChecks:Mode", "Sometimes", "CredentialChecks:Mode" },
        { "CredentialChecks:Interval", "00:00:01", "CredentialChecks:Interval" },
        { "CredentialChecks:Timeout", "00:00:00", "CredentialChecks:Timeout" },
        { "CredentialChecks:Concurrency", "0", "CredentialChecks:Concurrency" },
        { "CredentialChecks:ExpiryWarning", "-1.00:00:00", "CredentialChecks:ExpiryWarning" },
    };

    [Theory]
    [InlineData("/nonexistent/ca.pem", "does not exist")]
    [InlineData("/etc/hostname", "holds no PEM certificate")]
    public async Task Start_ChecksOnWithBadCaBundle_ExitsNamingIt(string file, string problem)
    {
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(
            ["--CredentialChecks:Mode=On", $"--CredentialChecks:CaBundleFile={file}", "--urls=https://127.0.0.1:0"], deadline: TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains("CredentialChecks:CaBundleFile", StringComparison.Ordinal) && output.Contains(problem, StringComparison.Ordinal), output);
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_WithBadSetting_ExitsNamingIt(string key, string value, string expected)
    {
        // A free port for the settings that let the server get as far as binding; never a second --urls.
        string[] arguments = key == "urls" ? [$"--{key}={value}"] : [$"--{key}={value}", "--urls=https://127.0.0.1:0"];

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(arguments, deadline: TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains(expected, StringComparison.Ordinal), output);
    }
}

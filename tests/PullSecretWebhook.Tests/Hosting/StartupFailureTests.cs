using Microsoft.Extensions.Options;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Hosting;
using PullSecretWebhook.Kube.Config;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hosting;

/// <summary>A server that cannot start because of how it was configured says so in one line on standard error and
/// exits with 1 (<see cref="StartupFailure"/>): no unhandled exception and no abort. Any other exception is a bug and
/// keeps the runtime's report.</summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string[], string> Misconfigurations() => new()
    {
        { "a setting out of range (options validation, while building)", ["--Limits:Http2MaxFrameSize=100"], "error: cannot start: Limits:Http2MaxFrameSize must be between 16384 and 16777215." },
        { "a setting out of range (options validation, at start)", ["--Target:SecretName=Not_A_Name"], "Target:SecretName" },
        { "a URL the server cannot serve", ["--urls=http://127.0.0.1:0"], "urls: 'http://127.0.0.1:0' is not an https URL" },
        { "a feature that needs a cluster, without one", ["--Registration:Enabled=true"], "Registration:Enabled is true but there is no Kubernetes connection" },
        { "a certificate file that is not there", ["--Tls:CertFile=/nonexistent/tls.crt", "--Tls:KeyFile=/nonexistent/tls.key"], "Tls:CertFile '/nonexistent/tls.crt'" },
        { "a broken kubeconfig", ["--Kube:Kubeconfig={dir}/kubeconfig"], "kubeconfig {dir}/kubeconfig: not valid kubeconfig YAML at line 2" },
    };

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public async Task Start_Misconfigured_ExitsOneWithOneLineNamingIt(string what, string[] arguments, string expected)
    {
        _dir.Write("kubeconfig", "clusters: [unclosed\n");
        string[] all = ["--urls=https://127.0.0.1:0", .. arguments.Select(a => a.Replace("{dir}", _dir.Path, StringComparison.Ordinal))];

        using var process = ServerProcess.Start(all);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var (output, error) = (await stdout, await stderr);

        Assert.True(process.ExitCode == StartupFailure.ExitCode, $"{what}: exit code {process.ExitCode}\n{output}\n{error}");
        var line = Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(expected.Replace("{dir}", _dir.Path, StringComparison.Ordinal), line, StringComparison.Ordinal);
        // The runtime's report of an unhandled exception, and its abort, are gone. (A failure inside a hosted service is
        // also logged by the host, with its exception, as a Critical JSON line on standard output.)
        Assert.DoesNotContain("Unhandled exception", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public void IsConfiguration_OurKindsOfMisconfiguration_AloneOrAggregated()
    {
        Assert.True(StartupFailure.IsConfiguration(new SettingsException("urls: no URL given.")));
        Assert.True(StartupFailure.IsConfiguration(new OptionsValidationException("Limits", typeof(object), ["bad"])));
        Assert.True(StartupFailure.IsConfiguration(new KubeConfigException("kubeconfig x: bad")));
        Assert.True(StartupFailure.IsConfiguration(new CertificateLoadException("Tls:CertFile x: bad")));
        Assert.True(StartupFailure.IsConfiguration(new AggregateException(new SettingsException("one"))));
    }

    [Fact]
    public void IsConfiguration_AnythingElse_IsABugThatKeepsItsTrace()
    {
        Assert.False(StartupFailure.IsConfiguration(new InvalidOperationException("a bug")));
        Assert.False(StartupFailure.IsConfiguration(new FormatException("a bug")));
        Assert.False(StartupFailure.IsConfiguration(new AggregateException(new SettingsException("one"), new InvalidOperationException("a bug"))));
    }

    [Fact]
    public void Report_WritesOneLine_AndReturnsTheExitCode()
    {
        using var error = new StringWriter();

        var code = StartupFailure.Report(new AggregateException(new SettingsException("urls: 'x'\nis not an https URL")), error);

        Assert.Equal(1, code);
        Assert.Equal("error: cannot start: urls: 'x' is not an https URL" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void Report_OptionsFailures_WithoutTheGeneratedPropertyNames()
    {
        using var error = new StringWriter();

        StartupFailure.Report(new OptionsValidationException("", typeof(object), ["Concurrency: Reconciler:Concurrency must be between 1 and 64.", "Qps, Burst: Kube:Burst must be at least Kube:Qps.", "Name: names no setting"]), error);

        Assert.Equal("error: cannot start: Reconciler:Concurrency must be between 1 and 64. Kube:Burst must be at least Kube:Qps. Name: names no setting" + Environment.NewLine, error.ToString());
    }
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Kube.Config;

namespace PullSecretWebhook.Hosting;

/// <summary>How the server stops when it cannot start because of how it was configured: one line on standard error
/// naming the setting, file or field, and exit code 1, instead of the runtime's unhandled-exception report and an abort
/// (exit code 134, and a core dump where the node keeps them). A failure inside a hosted service (Kestrel's
/// certificate, registration) is also logged by the host as usual, with its exception. Anything else is a bug and
/// keeps the runtime's report.</summary>
internal static partial class StartupFailure
{
    public const int ExitCode = 1;

    /// <summary>The operator's to fix: a setting, a kubeconfig, a certificate.</summary>
    public static bool IsConfiguration(Exception e) => Unwrap(e) is SettingsException or OptionsValidationException or KubeConfigException or CertificateLoadException;

    public static int Report(Exception e, TextWriter error)
    {
        var message = Unwrap(e) is OptionsValidationException invalid
            ? string.Join(" ", invalid.Failures.Select(f => MemberNames().Replace(f, "")))
            : Unwrap(e).Message;
        error.WriteLine($"error: cannot start: {message.ReplaceLineEndings(" ")}");
        return ExitCode;
    }

    /// <summary>The host rethrows a hosted service's start-up failure alone, or several in an aggregate.</summary>
    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions: [var only] } ? Unwrap(only) : e;

    /// <summary>The property names the generated validators put before each failure ("Http2MaxFrameSize: "), where
    /// the message itself starts with the setting as it is written ("Limits:Http2MaxFrameSize must be …").</summary>
    [GeneratedRegex(@"^\w+(, \w+)*: (?=[A-Z]\w*:)")]
    private static partial Regex MemberNames();
}

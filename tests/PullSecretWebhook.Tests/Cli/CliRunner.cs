using PullSecretWebhook.Cli;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Cli;

/// <summary>Runs a command in-process with captured streams and an environment isolated from this machine's
/// kubeconfig (no KUBECONFIG, an empty home directory).</summary>
internal static class CliRunner
{
    private static readonly string EmptyHome = RunScratch.Create("psw-cli-home-");

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, string input = "", Dictionary<string, string>? environment = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stdin = new StringReader(input);
        var env = new KubeEnvironment(name => environment?.GetValueOrDefault(name), EmptyHome, "/nonexistent");
        var exitCode = await PullSecretWebhook.Cli.Cli.RunAsync(args, new CliContext(output, error, stdin, env), CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}

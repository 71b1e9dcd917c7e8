using System.CommandLine;

namespace PullSecretWebhook.Cli;

/// <summary><c>explain --namespace NS [--image IMAGE]</c>: why a namespace gets what it gets (README, "Command
/// line").</summary>
internal static class ExplainCommand
{
    public static Command Create(CliContext context)
    {
        var ns = CliOptions.Namespace("The namespace to explain.");
        var image = new Option<string?>("--image") { Description = "An image as written in a Pod: list the registry keys the kubelet would try for it, in order, with usernames (never passwords)." };
        var check = new Option<bool>("--check") { Description = "Check each registry key of the sources exported to the namespace against its registry now, as the server does (CredentialChecks): network traffic to the registries." };
        var caBundle = new Option<string?>("--ca-bundle") { Description = "With --check: PEM certificates to trust for registries besides the system's (the server's CredentialChecks:CaBundleFile)." };
        var timeout = new Option<TimeSpan>("--check-timeout") { Description = "With --check: the deadline of each key's check.", DefaultValueFactory = _ => TimeSpan.FromSeconds(15) };
        var cluster = new ClusterCommandOptions();
        var command = new Command("explain", "With cluster access: which exported Secrets reach the namespace and why the others do not, whether its target Secret is in sync, and for an image the registry keys the kubelet would try.")
        {
            ns, image, check, caBundle, timeout,
        };
        cluster.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var live = result.GetValue(check);
            var (settings, snapshot) = await cluster.LoadAsync(result, context, result.GetRequiredValue(ns), cancellationToken, withServerEvents: !live);
            var verdicts = live
                ? await CredentialVerdicts.CheckAsync(snapshot, CheckOptions(result.GetValue(caBundle), result.GetValue(timeout)), cancellationToken)
                : CredentialVerdicts.Reported(snapshot);
            ExplainText.Write(context.Output, snapshot, settings, result.GetValue(image), verdicts);
            return 0;
        });
        return command;
    }

    private static CredentialChecks.CredentialChecksOptions CheckOptions(string? caBundle, TimeSpan timeout)
    {
        if (caBundle is not null && !File.Exists(caBundle))
        {
            throw new CliException($"--ca-bundle: file {caBundle} does not exist");
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw new CliException("--check-timeout must be positive");
        }

        return new CredentialChecks.CredentialChecksOptions { Mode = CredentialChecks.CheckMode.On, CaBundleFile = caBundle, Timeout = timeout };
    }
}

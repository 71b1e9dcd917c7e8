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
        var cluster = new ClusterCommandOptions();
        var command = new Command("explain", "With cluster access: which exported Secrets reach the namespace and why the others do not, whether its target Secret is in sync, and for an image the registry keys the kubelet would try.")
        {
            ns, image,
        };
        cluster.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var (settings, snapshot) = await cluster.LoadAsync(result, context, result.GetRequiredValue(ns), cancellationToken);
            ExplainText.Write(context.Output, snapshot, settings, result.GetValue(image));
            return 0;
        });
        return command;
    }
}

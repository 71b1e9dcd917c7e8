using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PullSecretWebhook.Cli;

/// <summary><c>render --namespace NS</c>: the merged <c>.dockerconfigjson</c> the namespace gets (README, "Command
/// line").</summary>
internal static class RenderCommand
{
    private static readonly JsonSerializerOptions Output = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context)
    {
        var ns = CliOptions.Namespace("The namespace whose merged credentials to print.");
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Print passwords, auth and tokens as they are instead of <redacted>." };
        var cluster = new ClusterCommandOptions();
        var command = new Command("render", "With cluster access: print the merged .dockerconfigjson the namespace gets from the exported credentials, secrets redacted unless --show-secrets.")
        {
            ns, showSecrets,
        };
        cluster.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetRequiredValue(ns);
            var (_, snapshot) = await cluster.LoadAsync(result, context, name, cancellationToken);
            if (snapshot.Desired.Merge is not { } merge)
            {
                throw new CliException($"namespace \"{name}\" gets no credentials: {ExplainText.Reason(snapshot.Desired.Reason)} (see: pullsecret-webhook explain --namespace {name})");
            }

            var config = JsonNode.Parse(merge.Payload)!;
            if (!result.GetValue(showSecrets))
            {
                CredentialRedaction.Redact(config);
            }

            await context.Output.WriteLineAsync(config.ToJsonString(Output));
            return 0;
        });
        return command;
    }
}

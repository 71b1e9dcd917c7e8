using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PullSecretWebhook.Cli;

/// <summary><c>render --namespace NS</c>: the merged <c>.dockerconfigjson</c> the namespace gets (CONTRACT.md §6).</summary>
internal static class RenderCommand
{
    private static readonly JsonSerializerOptions Output = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context)
    {
        var ns = CliOptions.Namespace("The namespace whose merged credentials to print.");
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Print passwords, auth and tokens as they are instead of <redacted>." };
        var secretName = CliOptions.SecretName();
        var serverNamespace = CliOptions.ServerNamespace();
        var sources = CliOptions.SourceNamespaces();
        var excluded = CliOptions.ExcludedNamespaces();
        var kubeconfig = CliOptions.Kubeconfig();
        var kubeContext = CliOptions.Context();
        var command = new Command("render", "With cluster access: print the merged .dockerconfigjson the namespace gets from the exported credentials, secrets redacted unless --show-secrets.")
        {
            ns, showSecrets, secretName, serverNamespace, sources, excluded, kubeconfig, kubeContext,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = ClusterSettings.From(result, context, secretName, serverNamespace, sources, excluded);
            var name = result.GetRequiredValue(ns);
            var snapshot = await ClusterSnapshot.LoadAsync(context, result.GetValue(kubeconfig), result.GetValue(kubeContext), settings, name, cancellationToken);
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

using System.CommandLine;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Reconciliation;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Cli;

/// <summary>The server settings that decide what a namespace gets, as the cluster-facing commands take them from
/// their options: the target name, the server's namespace, the source namespaces and the exclusions.</summary>
internal sealed class ClusterSettings
{
    public const string DefaultServerNamespace = "pullsecret-webhook";

    private ClusterSettings(string secretName, string serverNamespace, IReadOnlySet<string> sources, IReadOnlyList<string> excluded)
    {
        SecretName = secretName;
        Analyzer = new SourceAnalyzer(sources);
        var environment = new KubeEnvironment(name => name == "POD_NAMESPACE" ? serverNamespace : null, null, "/nonexistent");
        Calculator = new DesiredTargetCalculator(new NamespaceExclusion(Options.Create(new NamespaceOptions { ExcludedNamespaces = [.. excluded] }), environment));
    }

    public string SecretName { get; }

    public SourceAnalyzer Analyzer { get; }

    public DesiredTargetCalculator Calculator { get; }

    public static ClusterSettings From(ParseResult result, CliContext context, Option<string> secretName, Option<string?> serverNamespace, Option<string[]> sources, Option<string[]> excluded)
    {
        var server = result.GetValue(serverNamespace) is { Length: > 0 } given
            ? given
            : context.Environment.GetVariable("POD_NAMESPACE") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultServerNamespace;
        var sourceList = result.GetValue(sources) is { Length: > 0 } list ? list : [server];
        return new ClusterSettings(result.GetRequiredValue(secretName), server, sourceList.ToHashSet(StringComparer.Ordinal), result.GetValue(excluded) ?? []);
    }
}

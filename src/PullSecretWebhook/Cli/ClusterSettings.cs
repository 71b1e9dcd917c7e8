using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Reconciliation;
using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Cli;

/// <summary>The server's own decision services (<see cref="SourceAnalyzer"/>, <see cref="DesiredTargetCalculator"/>
/// and what they depend on), composed from the same registrations the server uses (<c>AddSelection</c>,
/// <c>AddReconciliation</c>), with the cluster-facing commands' options as the server's settings: the target name,
/// the server's namespace, the source namespaces and the exclusions. Nothing here restates a rule of the server, so the
/// commands cannot drift from it.</summary>
internal sealed class ClusterSettings
{
    public const string DefaultServerNamespace = "pullsecret-webhook";

    private ClusterSettings(IServiceProvider services)
    {
        SecretName = services.GetRequiredService<IOptions<TargetOptions>>().Value.SecretName;
        try
        {
            NamedSources = services.GetRequiredService<IOptions<SourcesOptions>>().Value.Secrets;
        }
        catch (OptionsValidationException e)
        {
            // The server's own check of Sources:Secrets (a source namespace, a Secret name, a scope that parses).
            throw new CliException($"--source-secret: {string.Join("; ", e.Failures)}", e);
        }

        Analyzer = services.GetRequiredService<SourceAnalyzer>();
        Calculator = services.GetRequiredService<DesiredTargetCalculator>();
    }

    public string SecretName { get; }

    /// <summary>The Secrets exported by name (<c>--source-secret</c>, the server's <c>Sources:Secrets</c>).</summary>
    public IReadOnlyList<NamedSourceOptions> NamedSources { get; }

    public SourceAnalyzer Analyzer { get; }

    public DesiredTargetCalculator Calculator { get; }

    public static ClusterSettings From(ParseResult result, CliContext context, Option<string> secretName, Option<string?> serverNamespace, Option<string[]> sources, Option<string[]> sourceSecrets, Option<string[]> excluded)
    {
        var server = result.GetValue(serverNamespace) is { Length: > 0 } given
            ? given
            : context.Environment.GetVariable("POD_NAMESPACE") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultServerNamespace;
        // The server's setting names, as its configuration would hold them; an unset list keeps the server's default
        // (Sources:Namespaces: the server's own namespace).
        var settings = new Dictionary<string, string?>
        {
            ["Target:SecretName"] = result.GetRequiredValue(secretName),
            ["POD_NAMESPACE"] = server,
        };
        AddList(settings, "Sources:Namespaces", result.GetValue(sources));
        AddList(settings, "ExcludedNamespaces", result.GetValue(excluded));
        var named = (result.GetValue(sourceSecrets) ?? []).Select(v => CliOptions.NamedSource(v)!).ToList();
        for (var i = 0; i < named.Count; i++)
        {
            var prefix = $"Sources:Secrets:{i.ToString(CultureInfo.InvariantCulture)}";
            settings[$"{prefix}:Namespace"] = named[i].Namespace;
            settings[$"{prefix}:Name"] = named[i].Name;
            if (named[i].ToNamespaces is { } globs)
            {
                settings[$"{prefix}:ToNamespaces"] = globs;
            }

            if (named[i].ToNamespaceSelector is { } selector)
            {
                settings[$"{prefix}:ToNamespaceSelector"] = selector;
            }
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSelection()
            .AddReconciliation()
            .BuildServiceProvider();
        return new ClusterSettings(services);
    }

    private static void AddList(Dictionary<string, string?> settings, string key, string[]? values)
    {
        for (var i = 0; i < (values?.Length ?? 0); i++)
        {
            settings[$"{key}:{i.ToString(CultureInfo.InvariantCulture)}"] = values![i];
        }
    }
}

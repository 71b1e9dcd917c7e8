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
        Analyzer = services.GetRequiredService<SourceAnalyzer>();
        Calculator = services.GetRequiredService<DesiredTargetCalculator>();
    }

    public string SecretName { get; }

    public SourceAnalyzer Analyzer { get; }

    public DesiredTargetCalculator Calculator { get; }

    public static ClusterSettings From(ParseResult result, CliContext context, Option<string> secretName, Option<string?> serverNamespace, Option<string[]> sources, Option<string[]> excluded)
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

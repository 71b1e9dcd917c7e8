using System.CommandLine;

namespace PullSecretWebhook.Cli;

/// <summary>The options every command that reads a cluster takes (<c>explain</c>, <c>render</c>): where the cluster
/// is, and the server settings that decide what a namespace gets. Declared once so the commands cannot drift.</summary>
internal sealed class ClusterCommandOptions
{
    private readonly Option<string> _secretName = CliOptions.SecretName();
    private readonly Option<string?> _serverNamespace = CliOptions.ServerNamespace();
    private readonly Option<string[]> _sources = CliOptions.SourceNamespaces();
    private readonly Option<string[]> _sourceSecrets = CliOptions.SourceSecrets();
    private readonly Option<string[]> _excluded = CliOptions.ExcludedNamespaces();
    private readonly Option<string?> _kubeconfig = CliOptions.Kubeconfig();
    private readonly Option<string?> _context = CliOptions.Context();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _secretName, _serverNamespace, _sources, _sourceSecrets, _excluded, _kubeconfig, _context })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Reads the cluster for <paramref name="namespaceName"/> with the settings given on the command line.</summary>
    public async Task<(ClusterSettings Settings, ClusterSnapshot Snapshot)> LoadAsync(ParseResult result, CliContext context, string namespaceName, CancellationToken cancellationToken, bool withServerEvents = false)
    {
        var settings = ClusterSettings.From(result, context, _secretName, _serverNamespace, _sources, _sourceSecrets, _excluded);
        var snapshot = await ClusterSnapshot.LoadAsync(context, result.GetValue(_kubeconfig), result.GetValue(_context), settings, namespaceName, cancellationToken, withServerEvents);
        return (settings, snapshot);
    }
}

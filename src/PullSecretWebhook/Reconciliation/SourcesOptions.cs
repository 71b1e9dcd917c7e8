namespace PullSecretWebhook.Reconciliation;

/// <summary>Settings section <c>Sources</c>.</summary>
internal sealed class SourcesOptions
{
    public const string Section = "Sources";

    /// <summary><c>Sources:Namespaces</c>: where exported credentials are read from. Empty means the server's own
    /// namespace (README, "Settings"); a list replaces it.</summary>
    public string[] Namespaces { get; set; } = [];

    /// <summary><c>Sources:Secrets</c>: Secrets in source namespaces exported without the export label.</summary>
    public NamedSourceOptions[] Secrets { get; set; } = [];

    /// <summary>The source namespaces in effect: the list, else the server's own namespace.</summary>
    public IReadOnlySet<string> EffectiveNamespaces(string ownNamespace)
    {
        var configured = Namespaces.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToHashSet(StringComparer.Ordinal);
        return configured.Count > 0 ? configured : new HashSet<string>(StringComparer.Ordinal) { ownNamespace };
    }
}

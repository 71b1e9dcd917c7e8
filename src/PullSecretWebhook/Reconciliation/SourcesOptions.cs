namespace PullSecretWebhook.Reconciliation;

/// <summary>Settings section <c>Sources</c>.</summary>
internal sealed class SourcesOptions
{
    public const string Section = "Sources";

    /// <summary><c>Sources:Namespaces</c>: where exported credentials are read from. Empty means the server's own
    /// namespace (README, "Settings"); a list replaces it.</summary>
    public string[] Namespaces { get; set; } = [];
}

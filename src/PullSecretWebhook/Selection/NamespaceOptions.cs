namespace PullSecretWebhook.Selection;

/// <summary>Root-level setting <c>ExcludedNamespaces</c> (CONTRACT.md §5): namespaces never injected or reconciled, in
/// addition to <see cref="WellKnown.AlwaysExcludedNamespaces"/> and the server's own namespace.</summary>
internal sealed class NamespaceOptions
{
    public string[] ExcludedNamespaces { get; set; } = [];
}

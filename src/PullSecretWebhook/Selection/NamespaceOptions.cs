namespace PullSecretWebhook.Selection;

/// <summary>Root-level setting <c>ExcludedNamespaces</c> (README, "Settings"): namespaces never injected or reconciled,
/// in addition to <see cref="WellKnown.AlwaysExcludedNamespaces"/> and the server's own namespace.</summary>
internal sealed class NamespaceOptions
{
    public string[] ExcludedNamespaces { get; set; } = [];
}

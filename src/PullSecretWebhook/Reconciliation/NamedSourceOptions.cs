namespace PullSecretWebhook.Reconciliation;

/// <summary>One entry of <c>Sources:Secrets</c>: a Secret exported because the settings name it, for tools that
/// cannot put the export label (or the scope annotations) on the Secrets they write (README, "When the tool cannot set
/// labels"). Only in a source namespace: naming a Secret elsewhere stops start-up, so the list never widens who can
/// export — whoever can change the server's settings could change <c>Sources:Namespaces</c> anyway.</summary>
internal sealed class NamedSourceOptions
{
    public string Namespace { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Scope by name, as the <c>pullsecret-webhook.io/to-namespaces</c> annotation; with
    /// <see cref="ToNamespaceSelector"/> unset too, the Secret's own annotations decide.</summary>
    public string? ToNamespaces { get; set; }

    /// <summary>Scope by labels, as the <c>pullsecret-webhook.io/to-namespace-selector</c> annotation.</summary>
    public string? ToNamespaceSelector { get; set; }

    public string Id => $"{Namespace}/{Name}";

    public bool HasScope => ToNamespaces is not null || ToNamespaceSelector is not null;
}

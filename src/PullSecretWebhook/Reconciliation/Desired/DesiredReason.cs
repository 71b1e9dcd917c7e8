namespace PullSecretWebhook.Reconciliation.Desired;

internal enum DesiredReason
{
    /// <summary>Sources are exported to the namespace: it gets the merge.</summary>
    Wanted,

    /// <summary>Excluded by name (system namespaces, the server's own, <c>ExcludedNamespaces</c>).</summary>
    Excluded,

    /// <summary>Labelled <c>pullsecret-webhook.io/inject: "false"</c>.</summary>
    OptedOut,

    /// <summary>No usable source is exported to it (or they hold no registry key).</summary>
    NoSources,

    /// <summary>Being deleted: its contents go with it, so it is left alone.</summary>
    Terminating,
}

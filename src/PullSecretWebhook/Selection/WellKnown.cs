namespace PullSecretWebhook.Selection;

/// <summary>The label and annotation names users type (README, "Labels and annotations"). Changing one breaks
/// users.</summary>
internal static class WellKnown
{
    public const string Prefix = "pullsecret-webhook.io/";

    /// <summary>Label on a Pod (or its template) or a Namespace; the value "false" opts out of injection.</summary>
    public const string InjectLabel = Prefix + "inject";

    /// <summary>Label on a Secret in a source namespace; "true" exports it.</summary>
    public const string ExportLabel = Prefix + "export";

    public const string ToNamespacesAnnotation = Prefix + "to-namespaces";
    public const string ToNamespaceSelectorAnnotation = Prefix + "to-namespace-selector";
    public const string SourcesAnnotation = Prefix + "sources";
    public const string AdoptAnnotation = Prefix + "adopt";

    /// <summary>Annotation the server writes on each target: per source, the uid of the Secret and the registry keys
    /// it gave, so that the last good entries of a source that turned invalid can be kept, across restarts.</summary>
    public const string OriginsAnnotation = Prefix + "origins";

    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "pullsecret-webhook";

    /// <summary>The kubelet marks static (mirror) Pods with this annotation; the API server rejects
    /// mirror Pods that reference Secrets, so they are never mutated.</summary>
    public const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    /// <summary>Namespaces that are never selected, whatever the settings say.</summary>
    public static readonly IReadOnlyList<string> AlwaysExcludedNamespaces = ["kube-system", "kube-public", "kube-node-lease"];

    /// <summary>True when a label value opts out. Label values are case-sensitive in Kubernetes, but an
    /// opt-out spelled "False" is unmistakable intent, so we honour it rather than inject anyway.</summary>
    public static bool IsOptOut(string? labelValue) =>
        labelValue is not null && labelValue.Equals("false", StringComparison.OrdinalIgnoreCase);
}

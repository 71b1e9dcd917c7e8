namespace PullSecretWebhook.Selection;

/// <summary>Root-level settings <c>ExcludedNamespaces</c> and <c>ExcludedNamespaceAnnotations</c> (README,
/// "Settings"): namespaces never injected or reconciled, in addition to <see cref="WellKnown.AlwaysExcludedNamespaces"/>
/// and the server's own namespace.</summary>
internal sealed class NamespaceOptions
{
    public string[] ExcludedNamespaces { get; set; } = [];

    /// <summary><c>key=value</c> namespace annotations that exclude a namespace, e.g. imagepullsecret-patcher's
    /// <c>k8s.titansoft.com/imagepullsecret-patcher-exclude=true</c> (README, "Coming from imagepullsecret-patcher").</summary>
    public string[] ExcludedNamespaceAnnotations { get; set; } = [];
}

namespace PullSecretWebhook.Selection;

/// <summary>Name formats the API server enforces (k8s.io/apimachinery/pkg/util/validation).</summary>
internal static class KubernetesNames
{
    public const string Dns1123SubdomainPattern = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    public const string Dns1123LabelPattern = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
}

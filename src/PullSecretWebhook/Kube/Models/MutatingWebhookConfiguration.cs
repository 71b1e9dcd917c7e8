namespace PullSecretWebhook.Kube.Models;

/// <summary>admissionregistration.k8s.io/v1 MutatingWebhookConfiguration (cluster-scoped).</summary>
internal sealed class MutatingWebhookConfiguration : KubeObject
{
    public List<MutatingWebhook>? Webhooks { get; set; }
}

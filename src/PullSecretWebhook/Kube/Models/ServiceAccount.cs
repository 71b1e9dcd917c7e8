namespace PullSecretWebhook.Kube.Models;

internal sealed class ServiceAccount : KubeObject
{
    public List<LocalObjectReference>? ImagePullSecrets { get; set; }

    public List<ObjectReference>? Secrets { get; set; }

    public bool? AutomountServiceAccountToken { get; set; }
}

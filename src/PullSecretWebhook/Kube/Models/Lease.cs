namespace PullSecretWebhook.Kube.Models;

internal sealed class Lease : KubeObject
{
    public LeaseSpec? Spec { get; set; }
}

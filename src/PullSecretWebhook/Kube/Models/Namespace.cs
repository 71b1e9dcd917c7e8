namespace PullSecretWebhook.Kube.Models;

/// <summary>core/v1 Namespace; only metadata matters to us, spec and status survive as extension data.</summary>
internal sealed class Namespace : KubeObject
{
}

namespace PullSecretWebhook.EndpointAccess;

/// <summary>Endpoint metadata: only callers the cluster allows to <c>get</c> the endpoint's path are answered (when
/// <c>Observability:Authorization</c> is <c>Kubernetes</c>).</summary>
internal sealed class ClusterAccessRequired
{
    public static readonly ClusterAccessRequired Instance = new();

    private ClusterAccessRequired()
    {
    }
}

using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;
using PullSecretWebhook.Kube;

namespace PullSecretWebhook.EndpointAccess;

/// <summary><c>Observability:Authorization</c> resolved against the cluster connection: set, or by default
/// <see cref="EndpointAuthorization.Kubernetes"/> when the server runs in the cluster (its pod's service account: any
/// client that reaches the pod's port could read the endpoints) and <see cref="EndpointAuthorization.None"/> when it runs
/// outside it (a kubeconfig: the port is the operator's own, as for <c>kubectl proxy</c>) or without a cluster
/// (README, "Who may read /status and /metrics"). <c>Kubernetes</c> without a cluster stops start-up: there would be
/// nobody to ask.</summary>
internal sealed class EndpointAccessPolicy
{
    public EndpointAccessPolicy(IOptions<EndpointAccessOptions> options, KubeConnectionState connection)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connection);
        var configured = options.Value.Authorization;
        if (configured == EndpointAuthorization.Kubernetes && !connection.IsConnected)
        {
            throw new SettingsException($"Observability:Authorization is Kubernetes but there is no Kubernetes connection ({connection.Description}).");
        }

        IsInCluster = connection.IsConnected && connection.Config.InCluster;
        Mode = configured ?? (IsInCluster ? EndpointAuthorization.Kubernetes : EndpointAuthorization.None);
    }

    public EndpointAuthorization Mode { get; }

    /// <summary>The server runs in the cluster (in-cluster configuration), where an open endpoint is open to every pod.</summary>
    public bool IsInCluster { get; }
}

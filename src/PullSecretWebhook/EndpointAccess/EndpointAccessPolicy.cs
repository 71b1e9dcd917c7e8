using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube;

namespace PullSecretWebhook.EndpointAccess;

/// <summary><c>Observability:Authorization</c> resolved against the cluster connection: set, or by default
/// <see cref="EndpointAuthorization.Kubernetes"/> when connected and <see cref="EndpointAuthorization.None"/> without a
/// cluster. <c>Kubernetes</c> without a cluster stops start-up: there would be nobody to ask.</summary>
internal sealed class EndpointAccessPolicy
{
    public EndpointAccessPolicy(IOptions<EndpointAccessOptions> options, KubeConnectionState connection)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connection);
        var configured = options.Value.Authorization;
        if (configured == EndpointAuthorization.Kubernetes && !connection.IsConnected)
        {
            throw new InvalidOperationException($"Observability:Authorization is Kubernetes but there is no Kubernetes connection ({connection.Description}).");
        }

        Mode = configured ?? (connection.IsConnected ? EndpointAuthorization.Kubernetes : EndpointAuthorization.None);
        IsConnected = connection.IsConnected;
    }

    public EndpointAuthorization Mode { get; }

    public bool IsConnected { get; }
}

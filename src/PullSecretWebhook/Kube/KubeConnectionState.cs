using System.Diagnostics.CodeAnalysis;
using PullSecretWebhook.Kube.Config;

namespace PullSecretWebhook.Kube;

/// <summary>
/// Whether the server has a cluster to talk to. Without one it still serves the webhook (README, "Connecting to
/// Kubernetes"); <see cref="Description"/> says which configuration was used, or why none was found.
/// </summary>
internal sealed class KubeConnectionState
{
    private KubeConnectionState(KubeClusterConfig? config, string description)
    {
        Config = config;
        Description = description;
    }

    [MemberNotNullWhen(true, nameof(Config))]
    public bool IsConnected => Config is not null;

    public KubeClusterConfig? Config { get; }

    public string Description { get; }

    public static KubeConnectionState Connected(KubeClusterConfig config) => new(config, config.Source);

    public static KubeConnectionState NotConnected(string reason) => new(null, reason);
}

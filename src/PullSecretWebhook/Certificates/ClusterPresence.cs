using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Config;

namespace PullSecretWebhook.Certificates;

/// <summary>Decides "running in a cluster" for the <c>Auto</c> defaults of <c>Tls:Mode</c> and
/// <c>Registration:Enabled</c>: connected to an API server AND inside a Pod (<c>KUBERNETES_SERVICE_HOST</c> and
/// <c>_PORT</c>, which the kubelet sets in every container). A developer's laptop with a kubeconfig is connected but
/// not in a Pod: it must never write a TLS Secret or a webhook configuration into that cluster by default.</summary>
internal static class ClusterPresence
{
    public static bool IsInCluster(KubeConnectionState state, KubeEnvironment environment) =>
        state.IsConnected && InClusterConfig.IsAvailable(environment);
}

using System.Security.Cryptography.X509Certificates;
using PullSecretWebhook.Kube.Auth;

namespace PullSecretWebhook.Kube.Config;

/// <summary>Everything needed to talk to one API server, resolved from kubeconfig or in-cluster files.</summary>
internal sealed class KubeClusterConfig
{
    public required Uri Server { get; init; }

    /// <summary>Roots to trust instead of the system store; null means the system store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Name to expect in the server certificate (and send as SNI) instead of the URL's host.</summary>
    public string? TlsServerName { get; init; }

    public required KubeCredentialProvider Credentials { get; init; }

    /// <summary>The context's namespace (or the in-cluster namespace file), if any.</summary>
    public string? Namespace { get; init; }

    /// <summary>True for a pod's own service account configuration (in-cluster), false for a kubeconfig.</summary>
    public bool InCluster { get; init; }

    /// <summary>Where this came from, for the start-up log: "kubeconfig /x (context y)" or "in-cluster".</summary>
    public required string Source { get; init; }
}

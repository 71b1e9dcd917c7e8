namespace PullSecretWebhook.EndToEnd.ControlPlane;

/// <summary>How a control plane is started. The defaults are the shared one's.</summary>
internal sealed record ControlPlaneOptions
{
    /// <summary><c>--etcd-compaction-interval</c>: how often the API server compacts etcd (kube-apiserver: 5m).</summary>
    public TimeSpan EtcdCompactionInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>--min-request-timeout</c>: a watch without <c>timeoutSeconds</c> is ended after 1–2 × this.</summary>
    public TimeSpan MinRequestTimeout { get; init; } = TimeSpan.FromSeconds(1800);

    /// <summary><c>--watch-cache</c>: false sends every watch to etcd, so that compaction meets a resume head-on.</summary>
    public bool WatchCache { get; init; } = true;
}

namespace PullSecretWebhook.Kube.Config;

/// <summary>
/// One or more kubeconfig files merged the way kubectl merges <c>KUBECONFIG</c>: for each named
/// cluster, context and user the first file that defines the name wins, and current-context comes
/// from the first file that sets it. Relative paths are already resolved against their own file.
/// </summary>
internal sealed class MergedKubeConfig
{
    public Dictionary<string, Origin<KubeConfigDocument.ClusterEntry>> Clusters { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Origin<KubeConfigDocument.ContextEntry>> Contexts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Origin<KubeConfigDocument.UserEntry>> Users { get; } = new(StringComparer.Ordinal);

    public string? CurrentContext { get; set; }

    public string? CurrentContextFile { get; set; }

    public List<string> Files { get; } = [];

    internal sealed record Origin<T>(T Entry, string File);
}

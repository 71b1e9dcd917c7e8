namespace PullSecretWebhook.Kube.Config;

/// <summary>
/// Finds the cluster configuration the way kubectl does: an explicit file (Kube:Kubeconfig), else
/// <c>KUBECONFIG</c> (a path list, merged), else <c>~/.kube/config</c>, else the in-cluster service
/// account. Finding nothing is not an error; a configuration that exists but is broken is.
/// </summary>
internal sealed class KubeConfigLoader(KubeEnvironment environment, TimeProvider timeProvider)
{
    public KubeConnectionState Load(string? kubeconfigPath, string? context)
    {
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            if (!File.Exists(kubeconfigPath))
            {
                throw new KubeConfigException($"Kube:Kubeconfig: file {kubeconfigPath} does not exist");
            }

            return FromFiles([kubeconfigPath], context);
        }

        var reasons = new List<string>();
        var list = environment.GetVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(list))
        {
            // Like client-go: missing files in the list are skipped, the first one wins on duplicates.
            var files = list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var existing = files.Where(File.Exists).ToList();
            if (existing.Count > 0)
            {
                return FromFiles(existing, context);
            }

            reasons.Add($"none of the KUBECONFIG files exists ({string.Join(", ", files)})");
        }
        else if (environment.HomeDirectory is { } home)
        {
            var path = Path.Combine(home, ".kube", "config");
            if (File.Exists(path))
            {
                return FromFiles([path], context);
            }

            reasons.Add($"KUBECONFIG is unset and {path} does not exist");
        }
        else
        {
            reasons.Add("KUBECONFIG is unset and there is no home directory");
        }

        if (InClusterConfig.IsAvailable(environment))
        {
            if (!string.IsNullOrEmpty(context))
            {
                throw new KubeConfigException($"Kube:Context is set to '{context}' but there is no kubeconfig to pick it from ({reasons[0]})");
            }

            return KubeConnectionState.Connected(InClusterConfig.Load(environment, timeProvider));
        }

        reasons.Add("not running in a cluster (KUBERNETES_SERVICE_HOST is unset)");
        return KubeConnectionState.NotConnected(string.Join("; ", reasons));
    }

    private KubeConnectionState FromFiles(IReadOnlyList<string> files, string? context) =>
        KubeConnectionState.Connected(KubeConfigResolver.Resolve(KubeConfigReader.ReadAndMerge(files), context, timeProvider));
}

namespace PullSecretWebhook.Kube.Config;

/// <summary>
/// The cluster configuration (kubeconfig, in-cluster files or an exec plugin) is missing something
/// or wrong. The message names the file, context, cluster, user or field, never a credential.
/// </summary>
internal sealed class KubeConfigException : Exception
{
    public KubeConfigException()
    {
    }

    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

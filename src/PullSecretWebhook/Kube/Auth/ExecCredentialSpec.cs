namespace PullSecretWebhook.Kube.Auth;

internal sealed class ExecCredentialSpec
{
    /// <summary>Always false: a server has no terminal to prompt on.</summary>
    public bool Interactive { get; set; }

    public ExecClusterInfo? Cluster { get; set; }
}

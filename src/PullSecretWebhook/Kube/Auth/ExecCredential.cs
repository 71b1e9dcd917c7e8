namespace PullSecretWebhook.Kube.Auth;

/// <summary>client.authentication.k8s.io ExecCredential: the plugin's input (spec) and output (status).</summary>
internal sealed class ExecCredential
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ExecCredentialSpec? Spec { get; set; }

    public ExecCredentialStatus? Status { get; set; }
}

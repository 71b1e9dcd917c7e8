namespace PullSecretWebhook.Kube.Auth;

internal sealed class ExecCredentialStatus
{
    public string? Token { get; set; }

    public string? ClientCertificateData { get; set; }

    public string? ClientKeyData { get; set; }

    public DateTimeOffset? ExpirationTimestamp { get; set; }
}

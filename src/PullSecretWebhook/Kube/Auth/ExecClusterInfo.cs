using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Auth;

/// <summary>The cluster as passed to plugins with <c>provideClusterInfo: true</c>; its JSON names are kebab-case like kubeconfig.</summary>
internal sealed class ExecClusterInfo
{
    public string? Server { get; set; }

    [JsonPropertyName("tls-server-name")]
    public string? TlsServerName { get; set; }

    [JsonPropertyName("insecure-skip-tls-verify")]
    public bool InsecureSkipTlsVerify { get; set; }

    [JsonPropertyName("certificate-authority-data")]
    public byte[]? CertificateAuthorityData { get; set; }
}

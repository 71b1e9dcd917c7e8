using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Config;

/// <summary>The parts of one kubeconfig file (clientcmd v1 Config) we read. Read as client-go reads it: the YAML becomes
/// JSON (<see cref="YamlJson"/>), and the JSON is read into these types with code generated at build time
/// (<see cref="KubeConfigJsonContext"/>); names not listed here are ignored.</summary>
internal sealed class KubeConfigDocument
{
    public List<NamedCluster>? Clusters { get; set; }

    public List<NamedContext>? Contexts { get; set; }

    public List<NamedUser>? Users { get; set; }

    [JsonPropertyName("current-context")]
    public string? CurrentContext { get; set; }

    internal sealed class NamedCluster
    {
        public string? Name { get; set; }

        public ClusterEntry? Cluster { get; set; }
    }

    internal sealed class ClusterEntry
    {
        public string? Server { get; set; }

        [JsonPropertyName("certificate-authority")]
        public string? CertificateAuthority { get; set; }

        [JsonPropertyName("certificate-authority-data")]
        public string? CertificateAuthorityData { get; set; }

        [JsonPropertyName("insecure-skip-tls-verify")]
        public bool InsecureSkipTlsVerify { get; set; }

        [JsonPropertyName("tls-server-name")]
        public string? TlsServerName { get; set; }
    }

    internal sealed class NamedContext
    {
        public string? Name { get; set; }

        public ContextEntry? Context { get; set; }
    }

    internal sealed class ContextEntry
    {
        public string? Cluster { get; set; }

        public string? User { get; set; }

        public string? Namespace { get; set; }
    }

    internal sealed class NamedUser
    {
        public string? Name { get; set; }

        public UserEntry? User { get; set; }
    }

    internal sealed class UserEntry
    {
        [JsonPropertyName("client-certificate")]
        public string? ClientCertificate { get; set; }

        [JsonPropertyName("client-certificate-data")]
        public string? ClientCertificateData { get; set; }

        [JsonPropertyName("client-key")]
        public string? ClientKey { get; set; }

        [JsonPropertyName("client-key-data")]
        public string? ClientKeyData { get; set; }

        public string? Token { get; set; }

        [JsonPropertyName("tokenFile")]
        public string? TokenFile { get; set; }

        public ExecEntry? Exec { get; set; }

        [JsonPropertyName("auth-provider")]
        public JsonObject? AuthProvider { get; set; }

        public string? Username { get; set; }

        public string? Password { get; set; }
    }

    internal sealed class ExecEntry
    {
        public string? Command { get; set; }

        public List<string>? Args { get; set; }

        public List<ExecEnvVar>? Env { get; set; }

        [JsonPropertyName("apiVersion")]
        public string? ApiVersion { get; set; }

        [JsonPropertyName("installHint")]
        public string? InstallHint { get; set; }

        [JsonPropertyName("provideClusterInfo")]
        public bool ProvideClusterInfo { get; set; }

        [JsonPropertyName("interactiveMode")]
        public string? InteractiveMode { get; set; }
    }

    internal sealed class ExecEnvVar
    {
        public string? Name { get; set; }

        public string? Value { get; set; }
    }
}

/// <summary>System.Text.Json metadata for <see cref="KubeConfigDocument"/>, generated at build time (no reflection, so
/// the Native AOT build reads kubeconfig files like the JIT build). Unlisted names are camelCase, as in kubeconfig.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(KubeConfigDocument))]
internal sealed partial class KubeConfigJsonContext : JsonSerializerContext;

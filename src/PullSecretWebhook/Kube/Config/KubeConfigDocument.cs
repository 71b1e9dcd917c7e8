using YamlDotNet.Serialization;

namespace PullSecretWebhook.Kube.Config;

/// <summary>The parts of one kubeconfig file (clientcmd v1 Config) we read. Shaped for YamlDotNet.</summary>
internal sealed class KubeConfigDocument
{
    public List<NamedCluster>? Clusters { get; set; }

    public List<NamedContext>? Contexts { get; set; }

    public List<NamedUser>? Users { get; set; }

    [YamlMember(Alias = "current-context", ApplyNamingConventions = false)]
    public string? CurrentContext { get; set; }

    internal sealed class NamedCluster
    {
        public string? Name { get; set; }

        public ClusterEntry? Cluster { get; set; }
    }

    internal sealed class ClusterEntry
    {
        public string? Server { get; set; }

        [YamlMember(Alias = "certificate-authority", ApplyNamingConventions = false)]
        public string? CertificateAuthority { get; set; }

        [YamlMember(Alias = "certificate-authority-data", ApplyNamingConventions = false)]
        public string? CertificateAuthorityData { get; set; }

        [YamlMember(Alias = "insecure-skip-tls-verify", ApplyNamingConventions = false)]
        public bool InsecureSkipTlsVerify { get; set; }

        [YamlMember(Alias = "tls-server-name", ApplyNamingConventions = false)]
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
        [YamlMember(Alias = "client-certificate", ApplyNamingConventions = false)]
        public string? ClientCertificate { get; set; }

        [YamlMember(Alias = "client-certificate-data", ApplyNamingConventions = false)]
        public string? ClientCertificateData { get; set; }

        [YamlMember(Alias = "client-key", ApplyNamingConventions = false)]
        public string? ClientKey { get; set; }

        [YamlMember(Alias = "client-key-data", ApplyNamingConventions = false)]
        public string? ClientKeyData { get; set; }

        public string? Token { get; set; }

        [YamlMember(Alias = "tokenFile", ApplyNamingConventions = false)]
        public string? TokenFile { get; set; }

        public ExecEntry? Exec { get; set; }

        [YamlMember(Alias = "auth-provider", ApplyNamingConventions = false)]
        public Dictionary<string, object>? AuthProvider { get; set; }

        public string? Username { get; set; }

        public string? Password { get; set; }
    }

    internal sealed class ExecEntry
    {
        public string? Command { get; set; }

        public List<string>? Args { get; set; }

        public List<ExecEnvVar>? Env { get; set; }

        [YamlMember(Alias = "apiVersion", ApplyNamingConventions = false)]
        public string? ApiVersion { get; set; }

        [YamlMember(Alias = "installHint", ApplyNamingConventions = false)]
        public string? InstallHint { get; set; }

        [YamlMember(Alias = "provideClusterInfo", ApplyNamingConventions = false)]
        public bool ProvideClusterInfo { get; set; }

        [YamlMember(Alias = "interactiveMode", ApplyNamingConventions = false)]
        public string? InteractiveMode { get; set; }
    }

    internal sealed class ExecEnvVar
    {
        public string? Name { get; set; }

        public string? Value { get; set; }
    }
}

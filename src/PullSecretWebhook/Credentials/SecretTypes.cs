namespace PullSecretWebhook.Credentials;

/// <summary>Secret types and data keys of registry credentials (k8s.io/api/core/v1 types.go).</summary>
internal static class SecretTypes
{
    public const string DockerConfigJson = "kubernetes.io/dockerconfigjson";
    public const string DockerConfigJsonKey = ".dockerconfigjson";
    public const string DockerCfg = "kubernetes.io/dockercfg";
    public const string DockerCfgKey = ".dockercfg";

    /// <summary>The format and data key the kubelet reads for a Secret type, or null for any other type.</summary>
    public static (DockerConfigFormat Format, string DataKey)? ForType(string? secretType) => secretType switch
    {
        DockerConfigJson => (DockerConfigFormat.DockerConfigJson, DockerConfigJsonKey),
        DockerCfg => (DockerConfigFormat.DockerCfg, DockerCfgKey),
        _ => null,
    };
}

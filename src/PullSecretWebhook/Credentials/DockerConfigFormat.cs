namespace PullSecretWebhook.Credentials;

/// <summary>The two payload formats a registry credential Secret may hold.</summary>
internal enum DockerConfigFormat
{
    /// <summary><c>kubernetes.io/dockerconfigjson</c>, key <c>.dockerconfigjson</c>: <c>{"auths": {KEY: ENTRY}}</c>.</summary>
    DockerConfigJson,

    /// <summary>Legacy <c>kubernetes.io/dockercfg</c>, key <c>.dockercfg</c>: <c>{KEY: ENTRY}</c> at top level.</summary>
    DockerCfg,
}

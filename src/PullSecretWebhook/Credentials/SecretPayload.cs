namespace PullSecretWebhook.Credentials;

/// <summary>Reads the credential payload of a Secret as the kubelet selects it: the data key must be the one its
/// type names (a <c>dockerconfigjson</c> Secret holding <c>.dockercfg</c> is ignored by the kubelet).</summary>
internal static class SecretPayload
{
    public static DockerConfigParseResult Read(string? secretType, IReadOnlyDictionary<string, byte[]>? data)
    {
        if (SecretTypes.ForType(secretType) is not { } kind)
        {
            return DockerConfigParseResult.Invalid(
                $"type '{secretType ?? "Opaque"}' is not a registry credential type; use {SecretTypes.DockerConfigJson} (or the legacy {SecretTypes.DockerCfg})");
        }

        if (data is null || !data.TryGetValue(kind.DataKey, out var payload))
        {
            return DockerConfigParseResult.Invalid($"type {secretType} requires the data key {kind.DataKey}");
        }

        return DockerConfigParser.Parse(payload, kind.Format);
    }
}

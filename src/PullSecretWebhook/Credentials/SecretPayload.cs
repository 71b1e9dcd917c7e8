namespace PullSecretWebhook.Credentials;

/// <summary>Reads the credential payload of a Secret as the kubelet selects it: the data key must be the one its
/// type names (a <c>dockerconfigjson</c> Secret holding <c>.dockercfg</c> is ignored by the kubelet).</summary>
internal static class SecretPayload
{
    public static DockerConfigParseResult Read(string? secretType, IReadOnlyDictionary<string, byte[]>? data)
    {
        if (SecretTypes.ForType(secretType) is not { } kind)
        {
            // Some operators write an Opaque Secret holding a .dockerconfigjson key (a missing "type" in a template).
            // Refused, not guessed: the kubelet ignores such a Secret in imagePullSecrets, so exporting it would hide
            // the mistake; and a Secret's type cannot be changed, so the fix is in the tool that writes it.
            if (data is not null && (data.ContainsKey(SecretTypes.DockerConfigJsonKey) || data.ContainsKey(SecretTypes.DockerCfgKey)))
            {
                return DockerConfigParseResult.Invalid(
                    $"type '{secretType ?? "Opaque"}' holds a registry credential key, but the kubelet reads only {SecretTypes.DockerConfigJson} (or {SecretTypes.DockerCfg}) Secrets; have the tool that writes it set the type (ESO target.template.type, VaultSecret spec.type), then delete this Secret so it is created again with that type (a type cannot be changed)");
            }

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

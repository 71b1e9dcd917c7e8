using System.Text.Json.Nodes;

namespace PullSecretWebhook.Cli;

/// <summary>Hides the secret fields of a <c>.dockerconfigjson</c> for display: <c>password</c>, <c>auth</c> (base64 of
/// user:password), <c>identitytoken</c> and <c>registrytoken</c>, matched case-insensitively as the kubelet reads them.</summary>
internal static class CredentialRedaction
{
    public const string Redacted = "<redacted>";

    private static readonly HashSet<string> SecretFields = new(StringComparer.OrdinalIgnoreCase) { "password", "auth", "identitytoken", "registrytoken" };

    public static JsonNode Redact(JsonNode config)
    {
        if (config["auths"] is JsonObject auths)
        {
            foreach (var (_, entry) in auths)
            {
                if (entry is not JsonObject fields)
                {
                    continue;
                }

                foreach (var name in fields.Select(f => f.Key).Where(SecretFields.Contains).ToList())
                {
                    fields[name] = Redacted;
                }
            }
        }

        return config;
    }
}

using System.Text.Json;

namespace PullSecretWebhook.CredentialChecks;

/// <summary>Reads the <c>exp</c> claim of a credential that is a JWT (robot tokens, CI job tokens, identity tokens).
/// Only the payload is decoded, never verified: the registry is the judge of validity, this only says when the
/// credential will stop working.</summary>
internal static class JwtExpiry
{
    public static DateTimeOffset? Read(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 16 * 1024)
        {
            return null;
        }

        var parts = value.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var document = JsonDocument.Parse(Convert.FromBase64String(payload));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("exp", out var exp)
                && exp.ValueKind == JsonValueKind.Number
                && exp.TryGetDouble(out var seconds)
                && seconds is > 0 and < 253402300799 // year 9999: DateTimeOffset's limit
                ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}

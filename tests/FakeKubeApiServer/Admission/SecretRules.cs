using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;

namespace FakeKubeApiServer.Admission;

/// <summary>
/// Secret defaulting and validation (pkg/apis/core/validation ValidateSecret,
/// https://kubernetes.io/docs/concepts/configuration/secret/#secret-types).
/// </summary>
internal static class SecretRules
{
    private const int MaxSecretSize = 1024 * 1024;

    /// <summary>
    /// Decoding happens before validation in the real server: a data value that is not base64
    /// fails JSON decoding of the []byte field, which is a 400 BadRequest, not a 422.
    /// <c>stringData</c> is write-only: merged into <c>data</c> (winning on conflicts) and dropped.
    /// </summary>
    public static void Default(JsonObject secret)
    {
        var data = secret["data"] as JsonObject;
        if (data is not null)
        {
            foreach (var (key, value) in data)
            {
                if (value is not null && !IsBase64(value, out var at))
                {
                    throw Status.BadRequest($"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte {at}");
                }
            }
        }

        if (secret["stringData"] is JsonObject stringData)
        {
            data ??= [];
            foreach (var (key, value) in stringData)
            {
                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
            }

            secret["data"] = data;
        }

        secret.Remove("stringData");
        if (secret["type"] is null || secret["type"]!.GetValue<string>().Length == 0)
        {
            secret["type"] = "Opaque";
        }
    }

    public static void Validate(JsonObject secret, FieldErrors errors)
    {
        var data = secret["data"] as JsonObject ?? [];
        var total = 0;
        foreach (var (key, value) in data)
        {
            if (!NameRules.IsConfigKey(key))
            {
                errors.Add(FieldError.Invalid($"data[{key}]", key, NameRules.ConfigKeyMessage));
            }

            total += Bytes(value).Length;
        }

        if (total > MaxSecretSize)
        {
            errors.Add(FieldError.TooLong("data", MaxSecretSize));
        }

        var type = secret["type"]?.GetValue<string>() ?? "Opaque";
        switch (type)
        {
            case "kubernetes.io/dockerconfigjson":
                RequireJson(data, ".dockerconfigjson", errors);
                break;
            case "kubernetes.io/dockercfg":
                RequireJson(data, ".dockercfg", errors);
                break;
            case "kubernetes.io/tls":
                Require(data, "tls.crt", errors);
                Require(data, "tls.key", errors);
                break;
            case "kubernetes.io/basic-auth":
                if (!data.ContainsKey("username") && !data.ContainsKey("password"))
                {
                    errors.Add(FieldError.Required("data[username]", ""));
                    errors.Add(FieldError.Required("data[password]", ""));
                }

                break;
            case "kubernetes.io/ssh-auth":
                Require(data, "ssh-privatekey", errors);
                break;
            case "kubernetes.io/service-account-token":
                if (secret["metadata"]?["annotations"]?["kubernetes.io/service-account.name"] is null)
                {
                    errors.Add(FieldError.Required("metadata.annotations[kubernetes.io/service-account.name]", ""));
                }

                break;
            default:
                break;
        }
    }

    public static void ValidateUpdate(JsonObject old, JsonObject updated, FieldErrors errors)
    {
        var oldType = old["type"]?.GetValue<string>() ?? "Opaque";
        var newType = updated["type"]?.GetValue<string>() ?? "Opaque";
        if (oldType != newType)
        {
            errors.Add(FieldError.Invalid("type", newType, "field is immutable"));
        }

        if (old["immutable"] is JsonValue immutable && immutable.GetValueKind() == JsonValueKind.True)
        {
            if (!JsonNode.DeepEquals(old["data"], updated["data"]))
            {
                errors.Add(FieldError.Forbidden("data", "field is immutable when `immutable` is set"));
            }

            if (updated["immutable"] is not JsonValue still || still.GetValueKind() != JsonValueKind.True)
            {
                errors.Add(FieldError.Forbidden("immutable", "field is immutable when `immutable` is set"));
            }
        }
    }

    private static void Require(JsonObject data, string key, FieldErrors errors)
    {
        if (!data.ContainsKey(key))
        {
            errors.Add(FieldError.Required($"data[{key}]"));
        }
    }

    private static void RequireJson(JsonObject data, string key, FieldErrors errors)
    {
        if (!data.TryGetPropertyValue(key, out var value))
        {
            errors.Add(FieldError.Required($"data[{key}]"));
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(Bytes(value));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FieldError.Invalid($"data[{key}]", "<secret contents redacted>", "json: cannot unmarshal into Go value of type map[string]interface {}"));
            }
        }
        catch (JsonException e)
        {
            // The message names neither the content nor its position: secret data never leaks.
            errors.Add(FieldError.Invalid($"data[{key}]", "<secret contents redacted>", $"invalid character in JSON: {e.GetType().Name}"));
        }
    }

    private static byte[] Bytes(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var s) ? Convert.FromBase64String(s) : [];

    private static bool IsBase64(JsonNode value, out int failedAt)
    {
        failedAt = 0;
        if (value is not JsonValue v || !v.TryGetValue<string>(out var s))
        {
            return false;
        }

        var buffer = new byte[(s.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(s, buffer, out _) && s.Length % 4 == 0)
        {
            return true;
        }

        // Go reports the offset of the first offending byte; good enough to point there.
        failedAt = s.TakeWhile(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/').Count();
        return false;
    }
}

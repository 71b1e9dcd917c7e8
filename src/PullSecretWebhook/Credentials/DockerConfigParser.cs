using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PullSecretWebhook.Credentials;

/// <summary>Parses registry credential payloads the way the kubelet does (pkg/credentialprovider/config.go): Go's
/// encoding/json rules (field names matched case-insensitively, the last duplicate wins, unknown fields ignored, a
/// field of the wrong type fails the whole payload, <c>null</c> is "nothing"), then the <c>auth</c> field decoded and
/// split at its first ':'. When <c>auth</c> is set it overrides <c>username</c>/<c>password</c>. Error messages
/// name registry keys and fields, never values.</summary>
internal static class DockerConfigParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };
    private static readonly string[] EntryFields = ["username", "password", "auth", "email"];

    public static DockerConfigParseResult Parse(ReadOnlySpan<byte> payload, DockerConfigFormat format)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.ToArray(), Options);
        }
        catch (JsonException e)
        {
            return DockerConfigParseResult.Invalid($"the payload is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return DockerConfigParseResult.Valid([], hasAuthsKey: false);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return DockerConfigParseResult.Invalid($"the payload must be a JSON object, not {Describe(root.ValueKind)}");
            }

            if (format == DockerConfigFormat.DockerCfg)
            {
                return ParseAuths(root, hasAuthsKey: true);
            }

            JsonElement? auths = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("auths") || property.Name.Equals("auths", StringComparison.OrdinalIgnoreCase))
                {
                    auths = property.Value;
                }
                else if (property.Name.Equals("HttpHeaders", StringComparison.OrdinalIgnoreCase)
                    && property.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                {
                    return DockerConfigParseResult.Invalid("HttpHeaders must be an object");
                }
            }

            return auths switch
            {
                null => DockerConfigParseResult.Valid([], hasAuthsKey: false),
                { ValueKind: JsonValueKind.Null } => DockerConfigParseResult.Valid([], hasAuthsKey: true),
                { ValueKind: JsonValueKind.Object } a => ParseAuths(a, hasAuthsKey: true),
                { } other => DockerConfigParseResult.Invalid($"auths must be an object, not {Describe(other.ValueKind)}"),
            };
        }
    }

    private static DockerConfigParseResult ParseAuths(JsonElement auths, bool hasAuthsKey)
    {
        // Go maps keep the last duplicate key; so do we, while keeping first-seen order for determinism.
        var entries = new Dictionary<string, RegistryEntry>(StringComparer.Ordinal);
        foreach (var property in auths.EnumerateObject())
        {
            if (!TryParseEntry(property.Name, property.Value, out var entry, out var problem))
            {
                return DockerConfigParseResult.Invalid(problem);
            }

            entries[property.Name] = entry;
        }

        return DockerConfigParseResult.Valid([.. entries.Values], hasAuthsKey);
    }

    private static bool TryParseEntry(string key, JsonElement value, out RegistryEntry entry, out string problem)
    {
        entry = null!;
        problem = "";
        string? username = null, password = null, auth = null;
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in value.EnumerateObject())
            {
                var known = KnownField(field.Name);
                if (known is null)
                {
                    continue; // unknown fields (identitytoken, registrytoken, ...) are kept in Raw but not read
                }

                if (field.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    problem = $"registry '{key}': field '{field.Name}' must be a string";
                    return false;
                }

                // Go leaves a string field untouched on null; email is type-checked but not used.
                var text = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
                switch (known)
                {
                    case "username" when text is not null:
                        username = text;
                        break;
                    case "password" when text is not null:
                        password = text;
                        break;
                    case "auth" when text is not null:
                        auth = text;
                        break;
                }
            }
        }
        else if (value.ValueKind != JsonValueKind.Null)
        {
            problem = $"registry '{key}': the entry must be an object";
            return false;
        }

        if (!string.IsNullOrEmpty(auth))
        {
            if (!GoBase64.TryDecode(auth, out var decoded))
            {
                problem = $"registry '{key}': auth is not valid base64";
                return false;
            }

            var text = Encoding.UTF8.GetString(decoded);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                problem = $"registry '{key}': auth must be base64 of 'username:password'";
                return false;
            }

            username = text[..colon];
            password = text[(colon + 1)..];
        }

        entry = new RegistryEntry(key, username ?? "", password ?? "", ToObject(value));
        return true;
    }

    /// <summary>The entry field a JSON name binds to under Go's case-insensitive matching, or null for others.</summary>
    private static string? KnownField(string name) =>
        Array.Find(EntryFields, f => f.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A mutable copy of an entry for lossless merging; duplicate field names keep the last value.</summary>
    private static JsonObject ToObject(JsonElement element)
    {
        var result = new JsonObject();
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                result[property.Name] = ToNode(property.Value);
            }
        }

        return result;
    }

    private static JsonNode? ToNode(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToObject(element),
        JsonValueKind.Array => new JsonArray([.. element.EnumerateArray().Select(ToNode)]),
        JsonValueKind.Null => null,
        _ => JsonValue.Create(element.Clone()),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => kind.ToString(),
    };
}

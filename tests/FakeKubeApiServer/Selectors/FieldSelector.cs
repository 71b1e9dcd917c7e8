using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Selectors;

/// <summary>
/// A parsed <c>fieldSelector</c>. Only the fields each kind registers are selectable
/// (pkg/registry/*/strategy.go GetAttrs / the field label conversion funcs); any other field is
/// the 400 the real server answers.
/// </summary>
internal sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    private static readonly string[] Common = ["metadata.name", "metadata.namespace"];

    private static readonly Dictionary<string, string[]> PerResource = new(StringComparer.Ordinal)
    {
        ["v1/secrets"] = ["type"],
        ["v1/namespaces"] = ["status.phase"],
        ["v1/pods"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ["v1/events"] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
    };

    /// <summary>
    /// Field labels that name another field of the stored object: core Events select on
    /// <c>source</c> meaning source.component, and events.k8s.io/v1 selects with its own names
    /// on the core objects it shares (pkg/apis/events/v1 conversion's field label mapping).
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Aliases = new(StringComparer.Ordinal)
    {
        ["v1/events"] = new(StringComparer.Ordinal) { ["source"] = "source.component" },
        ["events.k8s.io/v1/events"] = new(StringComparer.Ordinal)
        {
            ["metadata.name"] = "metadata.name",
            ["metadata.namespace"] = "metadata.namespace",
            ["reason"] = "reason",
            ["type"] = "type",
            ["reportingController"] = "reportingComponent",
            ["regarding.kind"] = "involvedObject.kind",
            ["regarding.namespace"] = "involvedObject.namespace",
            ["regarding.name"] = "involvedObject.name",
            ["regarding.uid"] = "involvedObject.uid",
            ["regarding.apiVersion"] = "involvedObject.apiVersion",
            ["regarding.resourceVersion"] = "involvedObject.resourceVersion",
            ["regarding.fieldPath"] = "involvedObject.fieldPath",
        },
    };

    private readonly IReadOnlyList<FieldRequirement> _requirements;

    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => _requirements = requirements;

    public bool IsEmpty => _requirements.Count == 0;

    public IReadOnlyList<FieldRequirement> Requirements => _requirements;

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<FieldRequirement>();
        foreach (var term in SplitUnescaped(text, ','))
        {
            var (field, equal, value) = ParseTerm(term, text);
            string? stored;
            if (Aliases.TryGetValue(type.ToString(), out var aliases))
            {
                stored = aliases.GetValueOrDefault(field) ?? (type == ResourceCatalog.Events ? null : field);
            }
            else
            {
                stored = field;
            }

            if (stored is null || !IsSupported(type, field))
            {
                throw Status.BadRequest(
                    $"Unable to find \"{type.Group}/{type.Version}, Resource={type.Resource}\" that match label selector \"\", field selector \"{text}\": field label not supported: {field}");
            }

            requirements.Add(new FieldRequirement(stored, equal, value));
        }

        return new FieldSelector(requirements);
    }

    public bool Matches(JsonObject obj) =>
        _requirements.All(r => string.Equals(ValueOf(obj, r.Field), r.Value, StringComparison.Ordinal) == r.Equal);

    /// <summary>The single name a selector pins (metadata.name=x), used by kubectl get NAME --watch.</summary>
    public string? PinnedName =>
        _requirements.FirstOrDefault(r => r.Equal && r.Field == "metadata.name")?.Value;

    private static bool IsSupported(ResourceType type, string field) =>
        type == ResourceCatalog.Events
        || Common.Contains(field, StringComparer.Ordinal)
        || (PerResource.TryGetValue(type.ToString(), out var fields) && fields.Contains(field, StringComparer.Ordinal));

    private static string ValueOf(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        if (node is null && path == "type" && obj["kind"]?.GetValue<string>() is "Secret" or null)
        {
            return "";
        }

        return node switch
        {
            null => "",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False =>
                v.GetValue<bool>().ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
            _ => node.ToJsonString(),
        };
    }

    private static (string Field, bool Equal, string Value) ParseTerm(string term, string whole)
    {
        foreach (var (token, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var at = IndexOfUnescaped(term, token);
            if (at > 0)
            {
                return (Unescape(term[..at].Trim()), equal, Unescape(term[(at + token.Length)..].Trim()));
            }
        }

        throw Status.BadRequest($"invalid selector: '{whole}'; can't understand '{term}'");
    }

    private static int IndexOfUnescaped(string text, string token)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static List<string> SplitUnescaped(string text, char separator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text[i]).Append(text[i + 1]);
                i++;
            }
            else if (text[i] == separator)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }

    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            result.Append(text[i]);
        }

        return result.ToString();
    }
}

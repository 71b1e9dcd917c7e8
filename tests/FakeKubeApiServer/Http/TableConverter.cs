using System.Globalization;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Http;

/// <summary>
/// Server-side printing: kubectl get asks for <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>
/// and prints the columns the server chooses
/// (https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables).
/// Columns follow pkg/printers/internalversion for the kinds people list most.
/// </summary>
internal static class TableConverter
{
    private static readonly (string Name, string Type, string Format)[] DefaultColumns =
        [("Name", "string", "name"), ("Created At", "date", "")];

    public static bool Wanted(string accept) =>
        accept.Contains("as=Table", StringComparison.Ordinal) && accept.Contains("g=meta.k8s.io", StringComparison.Ordinal);

    public static JsonObject Convert(ResourceType type, IEnumerable<JsonObject> objects, JsonObject listMetadata, string includeObject, DateTimeOffset now)
    {
        var columns = ColumnsFor(type);
        var definitions = new JsonArray();
        foreach (var (name, columnType, format) in columns)
        {
            definitions.Add(new JsonObject { ["name"] = name, ["type"] = columnType, ["format"] = format, ["description"] = name, ["priority"] = 0 });
        }

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(Cells(type, obj, now)) };
            row["object"] = includeObject switch
            {
                "None" => null,
                "Object" => ObjectShape.Canonical(type, obj),
                _ => new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                },
            };
            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = listMetadata,
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private static (string Name, string Type, string Format)[] ColumnsFor(ResourceType type) => type.Resource switch
    {
        "namespaces" => [("Name", "string", "name"), ("Status", "string", ""), ("Age", "string", "")],
        "secrets" => [("Name", "string", "name"), ("Type", "string", ""), ("Data", "string", ""), ("Age", "string", "")],
        "configmaps" => [("Name", "string", "name"), ("Data", "string", ""), ("Age", "string", "")],
        "serviceaccounts" => [("Name", "string", "name"), ("Secrets", "string", ""), ("Age", "string", "")],
        "pods" => [("Name", "string", "name"), ("Ready", "string", ""), ("Status", "string", ""), ("Restarts", "string", ""), ("Age", "string", "")],
        "leases" => [("Name", "string", "name"), ("Holder", "string", ""), ("Age", "string", "")],
        "events" => [("Last Seen", "string", ""), ("Type", "string", ""), ("Reason", "string", ""), ("Object", "string", ""), ("Message", "string", "")],
        _ => DefaultColumns,
    };

    private static JsonNode?[] Cells(ResourceType type, JsonObject obj, DateTimeOffset now)
    {
        var name = ObjectShape.Name(obj);
        var created = obj["metadata"]?["creationTimestamp"]?.GetValue<string>();
        var age = Age(created, now);
        JsonNode? Count(string field) => (obj[field] as JsonObject)?.Count ?? (obj[field] as JsonArray)?.Count ?? 0;
        return type.Resource switch
        {
            "namespaces" => [name, obj["status"]?["phase"]?.DeepClone() ?? "Active", age],
            "secrets" => [name, obj["type"]?.DeepClone() ?? "Opaque", Count("data"), age],
            "configmaps" => [name, ((obj["data"] as JsonObject)?.Count ?? 0) + ((obj["binaryData"] as JsonObject)?.Count ?? 0), age],
            "serviceaccounts" => [name, Count("secrets"), age],
            "pods" => [name, $"0/{(obj["spec"]?["containers"] as JsonArray)?.Count ?? 0}", obj["status"]?["phase"]?.DeepClone() ?? "Pending", "0", age],
            "leases" => [name, obj["spec"]?["holderIdentity"]?.DeepClone() ?? "", age],
            "events" => EventCells(obj, now),
            _ => [name, created],
        };
    }

    /// <summary>
    /// printEvent: last seen from lastTimestamp, series or eventTime; the object as kind/name.
    /// Field names of both views (core v1 and events.k8s.io/v1) are read.
    /// </summary>
    private static JsonNode?[] EventCells(JsonObject e, DateTimeOffset now)
    {
        string? Text(params string[] fields) => fields.Select(f => e[f]?.GetValue<string>()).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        var regarding = e["involvedObject"] ?? e["regarding"];
        var lastSeen = Text("lastTimestamp", "deprecatedLastTimestamp") ?? e["series"]?["lastObservedTime"]?.GetValue<string>() ?? Text("eventTime");
        var target = $"{regarding?["kind"]?.GetValue<string>().ToLowerInvariant()}/{regarding?["name"]?.GetValue<string>()}";
        return [Age(lastSeen, now), Text("type") ?? "", Text("reason") ?? "", target, Text("message", "note") ?? ""];
    }

    /// <summary>k8s.io/apimachinery/pkg/util/duration.HumanDuration.</summary>
    private static string Age(string? created, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return "<unknown>";
        }

        var d = now - at;
        var seconds = Math.Max(0, (long)d.TotalSeconds);
        var minutes = seconds / 60;
        var hours = minutes / 60;
        var days = hours / 24;
        return seconds < 120 ? $"{seconds}s"
            : minutes < 10 ? (seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s")
            : minutes < 180 ? $"{minutes}m"
            : hours < 8 ? (minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m")
            : hours < 48 ? $"{hours}h"
            : hours < 192 ? (hours % 24 == 0 ? $"{days}d" : $"{days}d{hours % 24}h")
            : days < 730 ? $"{days}d"
            : $"{days / 365}y{days % 365}d";
    }
}

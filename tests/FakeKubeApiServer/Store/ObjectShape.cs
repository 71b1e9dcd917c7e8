using System.Globalization;
using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Store;

/// <summary>
/// Field order and type metadata of served objects. JSON order does not matter to clients, but
/// the Go server always writes kind, apiVersion, metadata first and metadata in ObjectMeta field
/// order, and people compare outputs by eye.
/// </summary>
internal static class ObjectShape
{
    private static readonly string[] MetadataOrder =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
        "annotations", "ownerReferences", "finalizers", "managedFields",
    ];

    /// <summary>Top-level string maps (Secret and ConfigMap data).</summary>
    private static readonly string[] SortedMaps = ["data", "stringData", "binaryData"];

    private static void SortKeys(JsonObject parent, string field)
    {
        if (parent[field] is JsonObject map && map.Count > 1)
        {
            var sorted = map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())).ToList();
            parent[field] = new JsonObject(sorted);
        }
    }

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }

        return metadata;
    }

    public static string? Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>();

    public static string? Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();

    public static string? ResourceVersion(JsonObject obj) => obj["metadata"]?["resourceVersion"]?.GetValue<string>();

    public static string? Uid(JsonObject obj) => obj["metadata"]?["uid"]?.GetValue<string>();

    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Returns a copy with kind/apiVersion set and fields in the server's order.</summary>
    public static JsonObject Canonical(ResourceType type, JsonObject obj)
    {
        var result = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion };
        var metadata = obj["metadata"] as JsonObject ?? [];
        var orderedMetadata = new JsonObject();
        foreach (var key in MetadataOrder.Where(metadata.ContainsKey))
        {
            orderedMetadata[key] = metadata[key]?.DeepClone();
        }

        foreach (var (key, value) in metadata.Where(p => !MetadataOrder.Contains(p.Key)))
        {
            orderedMetadata[key] = value?.DeepClone();
        }

        result["metadata"] = orderedMetadata;
        foreach (var (key, value) in obj.Where(p => p.Key is not ("kind" or "apiVersion" or "metadata")))
        {
            result[key] = value?.DeepClone();
        }

        // Go writes map keys sorted: labels, annotations and data come back in key order whatever order they were
        // sent in.
        SortKeys(orderedMetadata, "labels");
        SortKeys(orderedMetadata, "annotations");
        foreach (var map in SortedMaps)
        {
            SortKeys(result, map);
        }

        if (result["spec"] is JsonObject spec)
        {
            SortKeys(spec, "nodeSelector");
        }

        // Round-trip so every value is JSON-backed: a number set from C# as int would otherwise
        // refuse GetValue<long>() and compare differently from one parsed off the wire.
        return JsonNode.Parse(result.ToJsonString())!.AsObject();
    }
}

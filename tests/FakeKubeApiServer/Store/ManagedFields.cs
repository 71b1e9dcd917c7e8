using System.Text.Json.Nodes;
using FakeKubeApiServer.Patching;

namespace FakeKubeApiServer.Store;

/// <summary>
/// <c>metadata.managedFields</c>, which a real server keeps on every object
/// (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management), so
/// clients meet them here too: one <c>Update</c> entry per field manager (the <c>fieldManager</c>
/// parameter, else the user agent's product name). Simplified: a manager's entry lists every
/// field of the object as it wrote it, rather than only the fields it changed.
/// </summary>
internal static class ManagedFields
{
    /// <summary>Metadata fields the server owns or that a manager never claims.</summary>
    private static readonly string[] UnownedMetadata =
        ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"];

    public static void Stamp(ResourceType type, JsonObject obj, JsonArray? previous, string manager, string time)
    {
        var entries = new JsonArray();
        foreach (var entry in (previous ?? []).OfType<JsonObject>().Where(e => e["manager"]?.GetValue<string>() != manager || e["operation"]?.GetValue<string>() != "Update"))
        {
            entries.Add(entry.DeepClone());
        }

        entries.Add(new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = "Update",
            ["apiVersion"] = type.ApiVersion,
            ["time"] = time,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = FieldsOf(obj, PatchSchema.For(type)),
        });
        ObjectShape.Metadata(obj)["managedFields"] = entries;
    }

    /// <summary>The FieldsV1 set of an object: "f:name" per field, "k:{key}" per merge-keyed list element, "v:value" per set member.</summary>
    private static JsonObject FieldsOf(JsonObject obj, PatchSchema schema)
    {
        var fields = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key is "kind" or "apiVersion" or "status")
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                var owned = new JsonObject(metadata.Where(p => !UnownedMetadata.Contains(p.Key)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
                if (owned.Count > 0)
                {
                    // metadata itself is never set as a whole, so it gets no "." entry.
                    var metadataFields = Fields(owned, schema.Field("metadata"));
                    metadataFields.Remove(".");
                    fields["f:metadata"] = metadataFields;
                }

                continue;
            }

            fields["f:" + key] = Fields(value, schema.Field(key));
        }

        return fields;
    }

    private static JsonObject Fields(JsonNode? value, PatchSchema? schema)
    {
        var result = new JsonObject();
        switch (value)
        {
            case JsonObject map when map.Count > 0:
                result["."] = new JsonObject();
                foreach (var (key, child) in map)
                {
                    result["f:" + key] = Fields(child, schema?.Field(key));
                }

                break;
            case JsonArray list when schema?.MergeKey is { } mergeKey:
                result["."] = new JsonObject();
                foreach (var element in list.OfType<JsonObject>())
                {
                    var key = new JsonObject { [mergeKey] = element[mergeKey]?.DeepClone() };
                    result["k:" + key.ToJsonString()] = Fields(element, schema);
                }

                break;
            case JsonArray list when schema?.MergePrimitives == true:
                result["."] = new JsonObject();
                foreach (var element in list)
                {
                    result["v:" + (element?.ToJsonString() ?? "null")] = new JsonObject();
                }

                break;
            default:
                break;
        }

        return result;
    }
}

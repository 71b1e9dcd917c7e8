using System.Text.Json.Nodes;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Admission;

/// <summary>
/// What a body becomes when the real server decodes it into its Go types and encodes it back:
/// a JSON <c>null</c> is the zero value, so it disappears from a struct field (or, in a string
/// map such as labels or ConfigMap data, becomes <c>""</c>); and an <c>omitempty</c> list or map
/// left empty is not written at all (<c>"imagePullSecrets": []</c> reads back as absent, so a
/// JSON patch adding to it needs <c>add /imagePullSecrets</c>, not <c>/imagePullSecrets/-</c>).
/// Fields the fake does not know keep their values (see README, known differences).
/// </summary>
internal static class WireDecoding
{
    /// <summary>map[string]string / map[string][]byte fields: a null value is the empty string.</summary>
    private static readonly string[] StringMaps =
        ["metadata.labels", "metadata.annotations", "data", "stringData", "binaryData", "spec.nodeSelector"];

    /// <summary>omitempty lists and maps, per kind (all kinds: metadata's).</summary>
    private static readonly string[] CommonOmitEmpty =
        ["metadata.labels", "metadata.annotations", "metadata.finalizers", "metadata.ownerReferences"];

    private static readonly Dictionary<ResourceType, string[]> OmitEmpty = new()
    {
        [ResourceCatalog.Secrets] = ["data", "stringData"],
        [ResourceCatalog.ConfigMaps] = ["data", "binaryData"],
        [ResourceCatalog.ServiceAccounts] = ["secrets", "imagePullSecrets"],
        [ResourceCatalog.Pods] = ["spec.imagePullSecrets", "spec.tolerations", "spec.volumes", "spec.initContainers", "spec.ephemeralContainers", "spec.nodeSelector"],
        [ResourceCatalog.MutatingWebhookConfigurations] = ["webhooks"],
        [ResourceCatalog.RoleBindings] = ["subjects"],
        [ResourceCatalog.ClusterRoleBindings] = ["subjects"],
    };

    /// <summary>Lists without omitempty: empty, they come back as null (protobuf keeps no empty list).</summary>
    private static readonly Dictionary<ResourceType, string[]> NullWhenEmpty = new()
    {
        [ResourceCatalog.Roles] = ["rules"],
        [ResourceCatalog.ClusterRoles] = ["rules"],
    };

    public static void Apply(ResourceType storage, JsonObject obj)
    {
        DropNulls(obj, "");
        foreach (var path in CommonOmitEmpty.Concat(OmitEmpty.GetValueOrDefault(storage, [])))
        {
            if (ParentOf(obj, path, out var name) is { } parent && parent[name] is JsonArray { Count: 0 } or JsonObject { Count: 0 })
            {
                parent.Remove(name);
            }
        }

        foreach (var path in NullWhenEmpty.GetValueOrDefault(storage, []))
        {
            if (ParentOf(obj, path, out var name) is { } parent && parent[name] is JsonArray { Count: 0 })
            {
                parent[name] = null;
            }
        }
    }

    private static void DropNulls(JsonObject obj, string path)
    {
        foreach (var (key, value) in obj.ToList())
        {
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            switch (value)
            {
                case null when StringMaps.Contains(path, StringComparer.Ordinal):
                    obj[key] = "";
                    break;
                case null:
                    obj.Remove(key);
                    break;
                case JsonObject child:
                    DropNulls(child, childPath);
                    break;
                case JsonArray array:
                    foreach (var element in array.OfType<JsonObject>())
                    {
                        DropNulls(element, childPath + "[]");
                    }

                    break;
                default:
                    break;
            }
        }
    }

    private static JsonObject? ParentOf(JsonObject obj, string path, out string name)
    {
        var parts = path.Split('.');
        name = parts[^1];
        JsonNode? node = obj;
        foreach (var part in parts[..^1])
        {
            node = node?[part];
        }

        return node as JsonObject;
    }
}

using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;

namespace FakeKubeApiServer.Patching;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>), after
/// k8s.io/apimachinery/pkg/util/strategicpatch and
/// https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md :
/// maps merge, null deletes, lists with a merge key merge element by element, other lists are
/// replaced. Directives: <c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>,
/// <c>$deleteFromPrimitiveList/field</c> and <c>$setElementOrder/field</c> (which kubectl apply sends).
/// </summary>
internal static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";
    private const string SetElementOrderPrefix = "$setElementOrder/";

    public static JsonObject Apply(JsonObject original, JsonNode? patch, PatchSchema schema)
    {
        if (patch is not JsonObject patchObject)
        {
            throw Status.BadRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
        }

        return MergeMap(original, patchObject, schema) ?? throw Status.BadRequest("a strategic merge patch may not delete the whole object");
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="original"/> (modified in place); null means "delete this map".</summary>
    private static JsonObject? MergeMap(JsonObject original, JsonObject patch, PatchSchema? schema)
    {
        switch (patch[PatchDirective]?.GetValue<string>())
        {
            case "replace":
                return StripDirectives(patch);
            case "delete":
                return null;
            case null or "merge":
                break;
            case var other:
                // mergepatch's ErrBadPatchType is none of the errors the patch handler maps to 400/422,
                // so it reaches the client as a plain 500 without a reason.
                throw Status.Unreasoned($"unknown patch type: {other} in map: map[$patch:{other}]");
        }

        var orders = new List<(string Field, JsonArray Order)>();
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveListPrefix.Length..];
                if (original[field] is JsonArray list && value is JsonArray remove)
                {
                    foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(i, r))).ToList())
                    {
                        list.Remove(item);
                    }
                }
            }
            else if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal) && value is JsonArray order)
            {
                orders.Add((key[SetElementOrderPrefix.Length..], order));
            }
            else if (key is PatchDirective or RetainKeysDirective)
            {
                continue;
            }
            else if (value is null)
            {
                original.Remove(key);
            }
            else
            {
                var merged = MergeValue(original[key]?.DeepClone(), value, schema?.Field(key));
                if (merged is null)
                {
                    original.Remove(key);
                }
                else
                {
                    original[key] = merged;
                }
            }
        }

        foreach (var (field, order) in orders)
        {
            if (original[field] is JsonArray list)
            {
                original[field] = Reorder(list, order, schema?.Field(field)?.MergeKey);
            }
        }

        if (patch[RetainKeysDirective] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                original.Remove(key);
            }
        }

        return original;
    }

    private static JsonNode? MergeValue(JsonNode? original, JsonNode value, PatchSchema? schema) => value switch
    {
        JsonObject map => MergeMap(original as JsonObject ?? [], map, schema),
        JsonArray list when schema?.MergeKey is { } mergeKey => MergeList(original as JsonArray ?? [], list, mergeKey, schema),
        JsonArray list when schema?.MergePrimitives == true => MergePrimitives(original as JsonArray ?? [], list),
        JsonArray list => StripDirectives(list),
        _ => value.DeepClone(),
    };

    private static JsonArray MergeList(JsonArray original, JsonArray patch, string mergeKey, PatchSchema schema)
    {
        if (patch.Any(IsReplaceDirective))
        {
            return StripDirectives(new JsonArray(patch.Where(e => !IsReplaceDirective(e)).Select(e => e?.DeepClone()).ToArray()));
        }

        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement)
            {
                throw Status.BadRequest($"merging an object in json but data type is not map, mergeKey: {mergeKey}");
            }

            var key = patchElement[mergeKey];
            var existing = original.OfType<JsonObject>().FirstOrDefault(o => JsonNode.DeepEquals(o[mergeKey], key));
            if (patchElement[PatchDirective]?.GetValue<string>() == "delete")
            {
                foreach (var match in original.OfType<JsonObject>().Where(o => JsonNode.DeepEquals(o[mergeKey], key)).ToList())
                {
                    original.Remove(match);
                }
            }
            else if (existing is not null)
            {
                var index = original.IndexOf(existing);
                var merged = MergeMap((JsonObject)existing.DeepClone(), patchElement, schema);
                original.RemoveAt(index);
                if (merged is not null)
                {
                    original.Insert(index, merged);
                }
            }
            else if (MergeMap([], patchElement, schema) is { } added)
            {
                original.Add(added);
            }
        }

        return original;
    }

    private static JsonArray MergePrimitives(JsonArray original, JsonArray patch)
    {
        foreach (var item in patch.Where(i => !original.Any(o => JsonNode.DeepEquals(o, i))))
        {
            original.Add(item?.DeepClone());
        }

        return original;
    }

    /// <summary>
    /// Orders the listed elements as <c>$setElementOrder</c> says; elements it does not name (the
    /// server's own additions) keep their relative order after them.
    /// </summary>
    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        JsonNode? KeyOf(JsonNode? node) => mergeKey is null ? node : node?[mergeKey];
        var items = list.Select(i => i?.DeepClone()).ToList();
        var ordered = order
            .Select(o => items.FirstOrDefault(i => JsonNode.DeepEquals(KeyOf(i), KeyOf(o))))
            .Where(i => i is not null)
            .ToList();
        var rest = items.Where(i => !ordered.Contains(i));
        return new JsonArray(ordered.Concat(rest).ToArray());
    }

    private static bool IsReplaceDirective(JsonNode? element) =>
        element is JsonObject o && o[PatchDirective]?.GetValue<string>() == "replace";

    private static T StripDirectives<T>(T node)
        where T : JsonNode
    {
        var clone = (T)node.DeepClone();
        Strip(clone);
        return clone;
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, value) in obj)
                {
                    Strip(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Strip(item);
                }

                break;
            default:
                break;
        }
    }
}

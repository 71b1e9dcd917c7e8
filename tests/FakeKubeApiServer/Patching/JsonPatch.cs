using System.Globalization;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;

namespace FakeKubeApiServer.Patching;

/// <summary>
/// RFC 6902 JSON patch (<c>application/json-patch+json</c>). A malformed patch document is a
/// 400; an operation that cannot apply (a failed <c>test</c>, a missing path) is the generic 422
/// the real server answers (handlers/patch.go applyJSPatch).
/// </summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw Status.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }

        JsonNode root = document;
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op || op["op"]?.GetValue<string>() is not { } name || op["path"]?.GetValue<string>() is not { } path)
            {
                throw Status.BadRequest("json patch operation is missing \"op\" or \"path\"");
            }

            root = name switch
            {
                "add" => Add(root, path, Value(op)),
                "remove" => Remove(root, path, out _),
                "replace" => Add(Remove(root, path, out _), path, Value(op)),
                "move" => Add(Remove(root, From(op), out var moved), path, moved),
                "copy" => Add(root, path, Get(root, From(op))?.DeepClone()),
                "test" => Test(root, path, op["value"]),
                // The library fails to apply it ("Unexpected kind"), which the server reports as its generic 422.
                _ => throw Status.PatchRejected(),
            };
        }

        return root as JsonObject ?? throw Status.PatchRejected();
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw Status.BadRequest("json patch add/replace operation is missing \"value\"");

    private static string From(JsonObject op) =>
        op["from"]?.GetValue<string>() ?? throw Status.BadRequest("json patch move/copy operation is missing \"from\"");

    private static JsonNode Test(JsonNode root, string path, JsonNode? expected)
    {
        return JsonNode.DeepEquals(Get(root, path), expected) ? root : throw Status.PatchRejected();
    }

    private static JsonNode Add(JsonNode root, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw Status.PatchRejected();
        }

        var (parent, token) = Parent(root, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[token] = value;
                break;
            case JsonArray array when token == "-":
                array.Add(value);
                break;
            case JsonArray array:
                array.Insert(Index(token, array.Count + 1), value);
                break;
            default:
                throw Status.PatchRejected();
        }

        return root;
    }

    private static JsonNode Remove(JsonNode root, string path, out JsonNode? removed)
    {
        var (parent, token) = Parent(root, path);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(token):
                removed = obj[token];
                obj.Remove(token);
                break;
            case JsonArray array:
                var index = Index(token, array.Count);
                removed = array[index];
                array.RemoveAt(index);
                break;
            default:
                throw Status.PatchRejected();
        }

        // A removed node keeps its parent until detached; clone so it can be re-added (move).
        removed = removed?.DeepClone();
        return root;
    }

    /// <summary>The node at <paramref name="path"/>, null for a JSON null; a missing path is a 422.</summary>
    private static JsonNode? Get(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
                JsonArray array => array[Index(token, array.Count)],
                _ => throw Status.PatchRejected(),
            };
        }

        return node;
    }

    private static (JsonNode Parent, string Token) Parent(JsonNode root, string path)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            throw Status.PatchRejected();
        }

        var parentPath = string.Concat(tokens.SkipLast(1).Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
        return (Get(root, parentPath) ?? throw Status.PatchRejected(), tokens[^1]);
    }

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw Status.PatchRejected();
        }

        return path[1..].Split('/')
            .Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))
            .ToList();
    }

    private static int Index(string token, int limit) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < limit
            ? index
            : throw Status.PatchRejected();
}

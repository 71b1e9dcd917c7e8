using System.Text.Json.Nodes;

namespace PullSecretWebhook.Tests.Support;

/// <summary>An RFC 6902 implementation written for the tests, independent of the production code, so that "the patch
/// applies and gives the expected Pod" is judged by a second reading of the RFC. Supports add, remove, replace and test,
/// with RFC 6901 pointers (<c>~0</c>, <c>~1</c>, <c>-</c>).</summary>
internal static class JsonPatchApplier
{
    public static JsonNode Apply(JsonNode document, JsonArray patch)
    {
        var result = document.DeepClone();
        foreach (var operation in patch)
        {
            var op = (string)operation!["op"]!;
            var path = (string)operation["path"]!;
            switch (op)
            {
                case "add":
                    Add(ref result, path, operation["value"]!.DeepClone());
                    break;
                case "remove":
                    Remove(result, path);
                    break;
                case "replace":
                    Remove(result, path);
                    Add(ref result, path, operation["value"]!.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(result, path), operation["value"]))
                    {
                        throw new InvalidOperationException($"test failed at {path}");
                    }

                    break;
                default:
                    throw new InvalidOperationException($"unsupported op {op}");
            }
        }

        return result;
    }

    private static void Add(ref JsonNode root, string path, JsonNode value)
    {
        if (path.Length == 0)
        {
            root = value;
            return;
        }

        var (parent, token) = Parent(root, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[token] = value; // RFC 6902 4.1: add to an existing member replaces it.
                break;
            case JsonArray array when token == "-":
                array.Add(value);
                break;
            case JsonArray array:
                var index = ArrayIndex(token, array.Count, allowEnd: true);
                array.Insert(index, value);
                break;
            default:
                throw new InvalidOperationException($"add: parent of {path} is not a container");
        }
    }

    private static void Remove(JsonNode root, string path)
    {
        var (parent, token) = Parent(root, path);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(token):
                obj.Remove(token);
                break;
            case JsonArray array:
                array.RemoveAt(ArrayIndex(token, array.Count, allowEnd: false));
                break;
            default:
                throw new InvalidOperationException($"remove: {path} does not exist");
        }
    }

    private static (JsonNode Parent, string Token) Parent(JsonNode root, string path)
    {
        var tokens = Tokens(path);
        var current = root;
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            current = Step(current, tokens[i]) ?? throw new InvalidOperationException($"{path}: {tokens[i]} does not exist");
        }

        return (current, tokens[^1]);
    }

    private static JsonNode? Resolve(JsonNode root, string path)
    {
        var current = root;
        foreach (var token in path.Length == 0 ? [] : Tokens(path))
        {
            current = Step(current, token) ?? throw new InvalidOperationException($"{path} does not exist");
        }

        return current;
    }

    private static JsonNode? Step(JsonNode node, string token) => node switch
    {
        JsonObject obj => obj.TryGetPropertyValue(token, out var child) ? child : throw new InvalidOperationException($"no member {token}"),
        JsonArray array => array[ArrayIndex(token, array.Count, allowEnd: false)],
        _ => throw new InvalidOperationException($"cannot step into a value with {token}"),
    };

    private static string[] Tokens(string path)
    {
        if (!path.StartsWith('/'))
        {
            throw new InvalidOperationException($"pointer {path} must start with /");
        }

        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }

    private static int ArrayIndex(string token, int count, bool allowEnd)
    {
        if (!int.TryParse(token, out var index) || index < 0 || index > count || (!allowEnd && index == count) || (token.Length > 1 && token[0] == '0'))
        {
            throw new InvalidOperationException($"bad array index {token}");
        }

        return index;
    }
}

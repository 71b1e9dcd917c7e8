using System.Text.Json.Nodes;

namespace PullSecretWebhook.Tests.Hardening.Support;

/// <summary>Paths into a JSON tree as segments (a string for a member, an int for an element), to damage a document
/// at an exact place.</summary>
internal static class JsonPaths
{
    /// <summary>Every member and element below the root; long arrays contribute their first three elements only, so
    /// that a sweep over all paths stays proportional to the document's shape rather than its bulk.</summary>
    public static IEnumerable<object[]> All(JsonNode? node)
    {
        var stack = new Stack<(JsonNode? Node, object[] Path)>();
        stack.Push((node, []));
        while (stack.Count > 0)
        {
            var (current, path) = stack.Pop();
            if (path.Length > 0)
            {
                yield return path;
            }

            switch (current)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj.Reverse())
                    {
                        stack.Push((child, [.. path, key]));
                    }

                    break;
                case JsonArray array:
                    for (var i = Math.Min(array.Count, 3) - 1; i >= 0; i--)
                    {
                        stack.Push((array[i], [.. path, i]));
                    }

                    break;
            }
        }
    }

    public static bool Exists(JsonNode root, object[] path)
    {
        JsonNode? current = root;
        foreach (var segment in path)
        {
            switch (current, segment)
            {
                case (JsonObject obj, string key) when obj.TryGetPropertyValue(key, out var child):
                    current = child;
                    break;
                case (JsonArray array, int i) when i < array.Count:
                    current = array[i];
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    public static JsonNode? Get(JsonNode root, object[] path)
    {
        var current = root;
        foreach (var segment in path)
        {
            current = segment is string key ? current!.AsObject()[key] : current!.AsArray()[(int)segment];
        }

        return current;
    }

    public static void Set(JsonNode root, object[] path, JsonNode? value)
    {
        var parent = Get(root, path[..^1])!;
        if (path[^1] is string key)
        {
            parent.AsObject()[key] = value;
        }
        else
        {
            parent.AsArray()[(int)path[^1]] = value;
        }
    }

    public static void Remove(JsonNode root, object[] path)
    {
        var parent = Get(root, path[..^1])!;
        if (path[^1] is string key)
        {
            parent.AsObject().Remove(key);
        }
        else
        {
            parent.AsArray().RemoveAt((int)path[^1]);
        }
    }

    public static string Format(object[] path) => "/" + string.Join('/', path);
}

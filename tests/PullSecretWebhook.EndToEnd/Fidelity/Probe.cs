using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PullSecretWebhook.EndToEnd.ControlPlane;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>What a sequence script works with: requests against one <see cref="FidelityTarget"/>, and the record of
/// normalised <see cref="Observation"/>s they produce. A script is the same code for both servers, so the two records
/// line up step by step. Paths may hold <c>{ns}</c> for the sequence's namespace.</summary>
internal sealed partial class Probe(FidelityTarget target)
{
    public const string Json = "application/json";
    public const string MergePatch = "application/merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";

    /// <summary>Stands for "no such field" while walking a path (a JSON null is a value).</summary>
    private static readonly JsonNode Missing = JsonValue.Create("\u0000missing")!;

    private readonly List<Observation> _record = [];
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);

    public string Ns => target.Namespace;

    public FidelityTarget Target => target;

    public IReadOnlyList<Observation> Record => _record;

    /// <summary>Parses a JSON literal after putting the namespace in for <c>{ns}</c>.</summary>
    public JsonNode Body(string json) => JsonNode.Parse(Expand(json))!;

    /// <summary>One request; nothing recorded.</summary>
    public async Task<ApiResponse> CallAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = Json, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, Expand(path));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await target.Client.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 && text.TrimStart()[0] is '{' or '[' ? JsonNode.Parse(text) : null;
        return new ApiResponse(response.StatusCode, json, text, []);
    }

    /// <summary>One request, its outcome recorded under <paramref name="step"/> ("201", "409 AlreadyExists"), followed
    /// by whatever <paramref name="facts"/> picks out of the answer.</summary>
    public async Task<ApiResponse> StepAsync(string step, HttpMethod method, string path, JsonNode? body = null, string contentType = Json, Func<ApiResponse, string>? facts = null, string? accept = null)
    {
        var response = await CallAsync(method, path, body, contentType, accept);
        Note(step, facts is null ? Outcome(response) : $"{Outcome(response)}; {facts(response)}");
        return response;
    }

    public Task<ApiResponse> GetAsync(string step, string path, Func<ApiResponse, string>? facts = null) =>
        StepAsync(step, HttpMethod.Get, path, facts: facts);

    public Task<ApiResponse> CreateAsync(string step, string collection, string json, Func<ApiResponse, string>? facts = null) =>
        StepAsync(step, HttpMethod.Post, collection, Body(json), facts: facts);

    public Task<ApiResponse> UpdateAsync(string step, string path, JsonNode body, Func<ApiResponse, string>? facts = null) =>
        StepAsync(step, HttpMethod.Put, path, body, facts: facts);

    public Task<ApiResponse> PatchAsync(string step, string path, string contentType, string json, Func<ApiResponse, string>? facts = null) =>
        StepAsync(step, HttpMethod.Patch, path, Body(json), contentType, facts);

    public Task<ApiResponse> DeleteAsync(string step, string path, string? options = null, Func<ApiResponse, string>? facts = null) =>
        StepAsync(step, HttpMethod.Delete, path, options is null ? null : Body(options), facts: facts);

    /// <summary>Records a fact that is not a request's outcome (a comparison, a count, a list of events).</summary>
    public void Note(string step, string fact) => _record.Add(new Observation(step, Normalize(fact)));

    /// <summary>Opens a watch (path with its query); the caller writes, then reads.</summary>
    public Task<WatchStream> OpenWatchAsync(string path) => WatchStream.OpenAsync(target.Client.Http, Expand(path));

    /// <summary>Makes every resourceVersion so far too old (compaction on the real server, forgotten history on the fake).</summary>
    public Task ExpireHistoryAsync() => target.ExpireHistoryAsync();

    /// <summary>Waits (with a deadline) until a condition on the server holds, e.g. a controller finishing its part.</summary>
    public Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Eventually.WaitUntilAsync(condition, $"{what} ({target.Name})");

    // ---- resourceVersions: remembered under a label, recorded only as relations ----

    /// <summary>Remembers the resourceVersion of an object or list answer as <paramref name="label"/>; returns it.</summary>
    public string Remember(string label, ApiResponse response) => Remember(label, ResourceVersionOf(response.Json));

    public string Remember(string label, string? resourceVersion)
    {
        _versions[label] = Parse(resourceVersion ?? throw new InvalidOperationException($"no resourceVersion to remember as {label}"));
        return resourceVersion;
    }

    public string Version(string label) => _versions[label].ToString(CultureInfo.InvariantCulture);

    /// <summary>"= created" when the version is one remembered, else its place relative to <paramref name="against"/>
    /// ("> created"); "none" when absent. resourceVersions are compared as the numbers both servers make them.</summary>
    public string Relation(string? resourceVersion, params string[] against)
    {
        if (string.IsNullOrEmpty(resourceVersion))
        {
            return "none";
        }

        var value = Parse(resourceVersion);
        var same = _versions.Where(v => v.Value == value).Select(v => v.Key).Order(StringComparer.Ordinal).ToList();
        if (same.Count > 0)
        {
            return "= " + string.Join(" = ", same);
        }

        return against.Length == 0
            ? "new"
            : string.Join(", ", against.Select(label => $"{(value > _versions[label] ? ">" : "<")} {label}"));
    }

    // ---- facts ----

    /// <summary>"201", or "409 AlreadyExists" for a Status answer.</summary>
    public static string Outcome(ApiResponse response)
    {
        var code = ((int)response.Status).ToString(CultureInfo.InvariantCulture);
        return (int)response.Status >= 400 || (string?)response.Json?["kind"] == "Status" && (string?)response.Json?["status"] == "Failure"
            ? $"{code} {response.Json?["reason"] ?? "(no reason)"}"
            : code;
    }

    /// <summary>A Status answer's details: kind, group, name, and the fields and reasons of its causes.</summary>
    public static string Details(ApiResponse response)
    {
        if (response.Json?["details"] is not JsonObject details)
        {
            return "no details";
        }

        var causes = details["causes"] is JsonArray list
            ? string.Join("; ", list.Select(c => $"{c?["field"]} {c?["reason"]}").Distinct().Order(StringComparer.Ordinal))
            : "";
        return $"details kind={details["kind"]} group={details["group"]} name={GeneratedName((string?)details["name"])}{(causes.Length > 0 ? $" causes=[{causes}]" : "")}";
    }

    /// <summary>A name made from generateName with its random five characters masked ("harbor.*****").</summary>
    public static string? GeneratedName(string? name) => name is null ? null : GeneratedSuffix().Replace(name, "$1*****");

    /// <summary>The Status message (uids and resourceVersions in it are normalised when recorded).</summary>
    public static string Message(ApiResponse response) => $"message \"{response.Json?["message"]}\"";

    /// <summary>The value at a dotted path of the answer ("metadata.labels", "spec.finalizers"), as compact JSON.</summary>
    public static string Field(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : Missing;
            if (ReferenceEquals(node, Missing))
            {
                return $"{path}=absent";
            }
        }

        return $"{path}={(node is null ? "null" : node.ToJsonString())}";
    }

    public static string Fields(JsonNode? node, params string[] paths) => string.Join(", ", paths.Select(p => Field(node, p)));

    /// <summary>A resourceVersion as the number both servers make it.</summary>
    public static long Number(string? resourceVersion) => Parse(resourceVersion ?? "0");

    /// <summary>Compact JSON with object keys sorted, so that field order (which differs between the Go server and
    /// the fake, and means nothing) does not count.</summary>
    public static string Canonical(JsonNode? node) => Sorted(node)?.ToJsonString() ?? "null";

    /// <summary>A copy with the value at <paramref name="path"/> replaced by "*": present, but not compared.</summary>
    public static JsonNode? Masked(JsonNode? node, string path)
    {
        var copy = node?.DeepClone();
        var parts = path.Split('.');
        var parent = copy;
        foreach (var part in parts[..^1])
        {
            parent = parent?[part];
        }

        if (parent is JsonObject obj && obj.ContainsKey(parts[^1]))
        {
            obj[parts[^1]] = "*";
        }

        return copy;
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        _ => node?.DeepClone(),
    };

    /// <summary>Item names of a list answer, in the order the server gave them.</summary>
    public static string Names(ApiResponse response) =>
        response.Json?["items"] is JsonArray items ? $"items=[{string.Join(",", items.Select(i => (string?)i?["metadata"]?["name"]))}]" : "no items";

    public static string? ResourceVersionOf(JsonNode? node) => (string?)node?["metadata"]?["resourceVersion"];

    /// <summary>Watch events as "TYPE name (relation)", bookmarks as "BOOKMARK (relation)".</summary>
    public string Describe(IEnumerable<JsonObject> events, params string[] against) =>
        string.Join(", ", events.Select(e =>
        {
            var type = (string?)e["type"];
            var obj = e["object"];
            return type switch
            {
                "BOOKMARK" => $"BOOKMARK ({Relation(ResourceVersionOf(obj), against)})",
                "ERROR" => $"ERROR {obj?["code"]} {obj?["reason"]}",
                _ => $"{type} {obj?["metadata"]?["name"]} ({Relation(ResourceVersionOf(obj), against)})",
            };
        }));

    /// <summary>What must not differ between the servers' records: the namespace name, uids, and resourceVersion
    /// numbers inside messages become placeholders.</summary>
    private string Normalize(string fact)
    {
        var text = fact.Replace(target.Namespace, "{ns}", StringComparison.Ordinal);
        text = Uid().Replace(text, "{uid}");
        return NumberInParentheses().Replace(text, "({n})");
    }

    private string Expand(string text) => text.Replace("{ns}", target.Namespace, StringComparison.Ordinal);

    private static long Parse(string resourceVersion) => long.Parse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture);

    // names.SimpleNameGenerator's alphabet, after the prefix's last separator.
    [GeneratedRegex("^(.+[.-])[bcdfghjklmnpqrstvwxz2456789]{5}$")]
    private static partial Regex GeneratedSuffix();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uid();

    // resourceVersions in messages: "the ResourceVersion in the precondition (12) does not match ... (345)".
    [GeneratedRegex(@"\((\d+)\)")]
    private static partial Regex NumberInParentheses();
}

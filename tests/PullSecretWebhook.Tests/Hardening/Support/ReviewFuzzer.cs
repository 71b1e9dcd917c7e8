using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hardening.Support;

/// <summary>Makes the fuzz cases: first a deterministic sweep that puts every JSON type at every field path of the seed
/// documents (the AdmissionReviews of tests/Fixtures, the 4 KiB bench review, a generated review), then random cases of
/// every other kind — truncations, removals, duplicate keys, invalid UTF-8, lone surrogates, nesting past the reader's
/// depth limit, huge arrays, Pods with thousands of containers, byte flips, junk, valid variants, wrong methods, paths
/// and content types, oversized and slow bodies. Text-level damage is done by serialising a sentinel and splicing bytes
/// in its place, so the damage lands exactly where it was aimed.</summary>
internal sealed class ReviewFuzzer
{
    public const string Target = "pullsecret-webhook";
    private const string Sentinel = "zzFUZZzz";
    private static readonly string[] ImportantPaths = ["apiVersion", "kind", "request", "request/uid", "request/object", "request/kind", "request/kind/kind", "request/operation", "request/namespace", "request/object/spec", "request/object/metadata", "request/object/spec/imagePullSecrets", "request/subResource", "request/dryRun"];
    private static readonly string[] Namespaces = ["team-a", "default", "kube-system", WebhookFactory.OwnNamespace, "", "x-" + new string('n', 300)];

    private readonly List<(string Name, JsonNode Document)> _seeds;
    private readonly List<(int Seed, object[] Path)> _sweepPaths = [];
    private readonly long _maxBodyBytes;

    public ReviewFuzzer(long maxBodyBytes)
    {
        _maxBodyBytes = maxBodyBytes;
        _seeds = [.. Fixtures.AdmissionReviews().Select(f => (Path.GetFileName(f), (JsonNode)Fixtures.Load(f)))];
        _seeds.Add(("pod-create-review-4k.json", Fixtures.Load(Path.Combine(Fixtures.Directory, "bench", "pod-create-review-4k.json"))));
        _seeds.Add(("generated", Reviews.PodCreate()));
        _seeds.Add(("generated-v1beta1", Reviews.PodCreate(apiVersion: "admission.k8s.io/v1beta1")));
        for (var i = 0; i < _seeds.Count; i++)
        {
            foreach (var path in JsonPaths.All(_seeds[i].Document))
            {
                _sweepPaths.Add((i, path));
            }
        }
    }

    /// <summary>The values put at every path by the sweep: every JSON type, including the wrong ones.</summary>
    private static readonly Func<JsonNode?>[] Replacements =
    [
        () => null, () => 0, () => -1.5e300, () => true, () => "", () => "x", () => new JsonArray(), () => new JsonObject(),
    ];

    public int SweepCount => _sweepPaths.Count * Replacements.Length;

    public FuzzCase Create(int seed, int index)
    {
        var random = FuzzRandom.ForCase(seed, index);
        if (index < SweepCount)
        {
            var (seedDoc, path) = _sweepPaths[index / Replacements.Length];
            var document = _seeds[seedDoc].Document.DeepClone();
            JsonPaths.Set(document, path, Replacements[index % Replacements.Length]());
            return Post(index, "wrong-type", $"{_seeds[seedDoc].Name} {JsonPaths.Format(path)} = {Replacements[index % Replacements.Length]()?.ToJsonString() ?? "null"}", document.ToJsonString());
        }

        return random.Next(1000) switch
        {
            < 120 => Truncated(index, random),
            < 220 => RandomWrongType(index, random),
            < 300 => Removed(index, random),
            < 360 => DuplicateKey(index, random),
            < 410 => InvalidUtf8(index, random),
            < 460 => LoneSurrogate(index, random),
            < 500 => DeepNesting(index, random),
            < 530 => HugeArray(index, random),
            < 550 => ThousandsOfContainers(index, random),
            < 640 => ByteFlips(index, random),
            < 680 => Junk(index, random),
            < 850 => ValidVariant(index, random),
            < 890 => WrongMethod(index, random),
            < 920 => WrongPath(index, random),
            < 960 => BadContentType(index, random),
            < 965 => OversizedBody(index, random),
            < 968 => ValidVariant(index, random) with { Slow = true, Kind = "slow-body" },
            _ => ValidVariant(index, random),
        };
    }

    private (string Name, JsonNode Document) PickSeed(Random random)
    {
        var (name, document) = _seeds[random.Next(_seeds.Count)];
        return (name, document.DeepClone());
    }

    private static object[] PickPath(Random random, JsonNode document, bool preferImportant)
    {
        if (preferImportant && random.Next(2) == 0)
        {
            var important = ImportantPaths[random.Next(ImportantPaths.Length)].Split('/');
            if (JsonPaths.Exists(document, important))
            {
                return important;
            }
        }

        var all = JsonPaths.All(document).ToList();
        return all[random.Next(all.Count)];
    }

    private FuzzCase Truncated(int index, Random random)
    {
        var (name, document) = PickSeed(random);
        var text = Encoding.UTF8.GetBytes(document.ToJsonString());
        var length = random.Next(text.Length);
        return Post(index, "truncated", $"{name} cut at {length}", text[..length]);
    }

    private FuzzCase RandomWrongType(int index, Random random)
    {
        var (name, document) = PickSeed(random);
        var path = PickPath(random, document, preferImportant: true);
        var value = RandomJson(random, depth: 3);
        JsonPaths.Set(document, path, value);
        return Post(index, "random-type", $"{name} {JsonPaths.Format(path)}", document.ToJsonString());
    }

    private FuzzCase Removed(int index, Random random)
    {
        var (name, document) = PickSeed(random);
        var path = PickPath(random, document, preferImportant: true);
        JsonPaths.Remove(document, path);
        return Post(index, "removed", $"{name} without {JsonPaths.Format(path)}", document.ToJsonString());
    }

    private FuzzCase DuplicateKey(int index, Random random)
    {
        var (name, document) = PickSeed(random);
        var objects = JsonPaths.All(document).Where(p => JsonPaths.Get(document, p) is JsonObject { Count: > 0 }).Prepend([]).ToList();
        var path = objects[random.Next(objects.Count)];
        var target = (JsonObject)JsonPaths.Get(document, path)!;
        var key = target.ElementAt(random.Next(target.Count)).Key;
        target[Sentinel] = RandomJson(random, depth: 2);
        var text = document.ToJsonString().Replace($"\"{Sentinel}\"", System.Text.Json.JsonSerializer.Serialize(key), StringComparison.Ordinal);
        return Post(index, "duplicate-key", $"{name} {JsonPaths.Format(path)}/{key} twice", text);
    }

    private FuzzCase InvalidUtf8(int index, Random random)
    {
        byte[][] invalid = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE2, 0x82]];
        var (name, document, path) = WithSentinelString(random);
        var bytes = Encoding.UTF8.GetBytes(document.ToJsonString());
        var bad = invalid[random.Next(invalid.Length)];
        var spliced = Splice(bytes, Encoding.UTF8.GetBytes(Sentinel), [.. "ab"u8, .. bad, .. "cd"u8]);
        return Post(index, "invalid-utf8", $"{name} {JsonPaths.Format(path)} gets {Convert.ToHexString(bad)}", spliced);
    }

    private FuzzCase LoneSurrogate(int index, Random random)
    {
        string[] escapes = [@"\ud800", @"\udc00", @"x\udbff", @"\udfff\ud800", @"\u0000", @"\ud83d\ude00"];
        var (name, document, path) = WithSentinelString(random);
        var escape = escapes[random.Next(escapes.Length)];
        var text = document.ToJsonString().Replace(Sentinel, escape, StringComparison.Ordinal);
        return Post(index, "escaped-surrogate", $"{name} {JsonPaths.Format(path)} = \"{escape}\"", text);
    }

    private FuzzCase DeepNesting(int index, Random random)
    {
        var (name, document) = PickSeed(random);
        var path = PickPath(random, document, preferImportant: true);
        JsonPaths.Set(document, path, Sentinel);
        var depth = random.Next(2) == 0 ? random.Next(60, 70) : random.Next(70, 20_000);
        var nested = random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        var text = document.ToJsonString().Replace($"\"{Sentinel}\"", nested, StringComparison.Ordinal);
        return Post(index, "deep-nesting", $"{name} {JsonPaths.Format(path)} nested {depth} deep", text);
    }

    private FuzzCase HugeArray(int index, Random random)
    {
        var (name, document) = PickSeed(random);
        var path = random.Next(2) == 0 && JsonPaths.Exists(document, ["request", "object", "spec"])
            ? ["request", "object", "spec", "imagePullSecrets"]
            : PickPath(random, document, preferImportant: true);
        var count = random.Next(10_000, 40_000);
        var array = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            array.Add(random.Next(3) switch { 0 => (JsonNode)i, 1 => new JsonObject { ["name"] = $"s{i}" }, _ => "v" });
        }

        JsonPaths.Set(document, path, array);
        return Post(index, "huge-array", $"{name} {JsonPaths.Format(path)} has {count} elements", document.ToJsonString());
    }

    private static FuzzCase ThousandsOfContainers(int index, Random random)
    {
        var review = Reviews.PodCreate(uid: $"uid-{index}");
        var count = random.Next(1000, 4000);
        var containers = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            containers.Add(new JsonObject { ["name"] = $"c{i}", ["image"] = $"registry.example.com/app-{i}:1" });
        }

        review["request"]!["object"]!["spec"]!["containers"] = containers;
        if (random.Next(2) == 0)
        {
            var secrets = new JsonArray();
            for (var i = 0; i < count; i++)
            {
                secrets.Add(new JsonObject { ["name"] = $"other-{i}" });
            }

            review["request"]!["object"]!["spec"]!["imagePullSecrets"] = secrets;
        }

        return Post(index, "thousands-of-containers", $"{count} containers", review.ToJsonString()) with { ExpectAnswer = true };
    }

    private FuzzCase ByteFlips(int index, Random random)
    {
        var (name, document) = PickSeed(random);
        var bytes = Encoding.UTF8.GetBytes(document.ToJsonString());
        var flips = random.Next(1, 6);
        for (var i = 0; i < flips; i++)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }

        return Post(index, "byte-flips", $"{name} {flips} byte(s)", bytes);
    }

    private static FuzzCase Junk(int index, Random random)
    {
        if (random.Next(2) == 0)
        {
            var bytes = new byte[random.Next(0, 2000)];
            random.NextBytes(bytes);
            return Post(index, "junk-bytes", $"{bytes.Length} random bytes", bytes);
        }

        var value = RandomJson(random, depth: 5);
        return Post(index, "junk-json", "a random JSON value", value?.ToJsonString() ?? "null");
    }

    private static FuzzCase ValidVariant(int index, Random random)
    {
        JsonNode?[] pullSecrets = [null, new JsonArray(), new JsonArray(new JsonObject { ["name"] = "other" }), new JsonArray(new JsonObject { ["name"] = Target }), new JsonArray(null, 1, "s", new JsonObject()), new JsonArray(new JsonObject { ["name"] = 7 })];
        var review = Reviews.PodCreate(
            ns: Namespaces[random.Next(Namespaces.Length)],
            labels: random.Next(8) == 0 ? new JsonObject { ["pullsecret-webhook.io/inject"] = random.Next(2) == 0 ? "false" : "true" } : null,
            annotations: random.Next(16) == 0 ? new JsonObject { ["kubernetes.io/config.mirror"] = "x" } : null,
            includeImagePullSecrets: random.Next(2) == 0,
            imagePullSecrets: pullSecrets[random.Next(pullSecrets.Length)]?.DeepClone(),
            apiVersion: random.Next(4) == 0 ? "admission.k8s.io/v1beta1" : "admission.k8s.io/v1",
            operation: random.Next(6) == 0 ? "UPDATE" : "CREATE",
            uid: random.Next(10) == 0 ? "uid with \"quotes\" and \u00e9 \u2028 <script>" : Guid.NewGuid().ToString());
        return Post(index, "valid", "a Pod review with random options", review.ToJsonString()) with { ExpectAnswer = true };
    }

    private static FuzzCase WrongMethod(int index, Random random)
    {
        HttpMethod[] methods = [HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options, HttpMethod.Head, new("PROPFIND")];
        var method = methods[random.Next(methods.Length)];
        var hasBody = method != HttpMethod.Get && method != HttpMethod.Head && method != HttpMethod.Options;
        return new FuzzCase(index, "wrong-method", method.Method, method, "/mutate", hasBody ? "application/json" : null, hasBody ? Encoding.UTF8.GetBytes(Reviews.PodCreate().ToJsonString()) : []);
    }

    private static FuzzCase WrongPath(int index, Random random)
    {
        string[] paths = ["/", "/mutate/extra", "/mutating", "/api/v1/mutate", "/mutate%00", "/mutate%2F", "/" + new string('a', 2000), "/validate", "/metrics/x"];
        var path = paths[random.Next(paths.Length)];
        return new FuzzCase(index, "wrong-path", path.Length > 40 ? path[..40] + "..." : path, HttpMethod.Post, path, "application/json", Encoding.UTF8.GetBytes(Reviews.PodCreate().ToJsonString()))
        {
            // Kestrel refuses a NUL in the path itself, before any middleware, with an empty 400.
            ProtocolError = path.Contains("%00", StringComparison.Ordinal),
        };
    }

    private static FuzzCase BadContentType(int index, Random random)
    {
        string?[] types = [null, "text/plain", "application/xml", "application/yaml", "multipart/form-data; boundary=x", "application/jsonx", "json", "@@@", "application/", "*/*", "application/json-seq"];
        var type = types[random.Next(types.Length)];
        return new FuzzCase(index, "content-type", type ?? "none", HttpMethod.Post, "/mutate", type, Encoding.UTF8.GetBytes(Reviews.PodCreate().ToJsonString()));
    }

    private FuzzCase OversizedBody(int index, Random random)
    {
        var review = Reviews.PodCreate();
        var padding = (int)_maxBodyBytes + random.Next(1, 512 * 1024);
        review["request"]!["object"]!["metadata"]!["annotations"] = new JsonObject { ["pad"] = new string('x', padding) };
        return Post(index, "oversized", $"{padding} bytes of padding", review.ToJsonString()) with { Oversized = true };
    }

    private (string Name, JsonNode Document, object[] Path) WithSentinelString(Random random)
    {
        var (name, document) = PickSeed(random);
        var strings = JsonPaths.All(document).Where(p => JsonPaths.Get(document, p) is JsonValue v && v.TryGetValue<string>(out _)).ToList();
        var path = random.Next(2) == 0 && JsonPaths.Exists(document, ["request", "uid"]) ? ["request", "uid"] : strings[random.Next(strings.Count)];
        JsonPaths.Set(document, path, Sentinel);
        return (name, document, path);
    }

    private static JsonNode? RandomJson(Random random, int depth)
    {
        var kind = random.Next(depth <= 0 ? 5 : 7);
        switch (kind)
        {
            case 0: return null;
            case 1: return random.Next(2) == 0;
            case 2: return random.Next(3) == 0 ? random.NextDouble() * 1e300 : random.Next(int.MinValue, int.MaxValue);
            case 3: return new string((char)random.Next('a', 'z' + 1), random.Next(0, 20));
            case 4: return random.Next(2) == 0 ? Target : "\u00e9\u4e2d\U0001F600";
            case 5:
                var array = new JsonArray();
                for (var i = random.Next(0, 5); i > 0; i--)
                {
                    array.Add(RandomJson(random, depth - 1));
                }

                return array;
            default:
                var obj = new JsonObject();
                for (var i = random.Next(0, 5); i > 0; i--)
                {
                    string[] names = ["name", "uid", "spec", "imagePullSecrets", "metadata", "kind", "x"];
                    obj[names[random.Next(names.Length)]] = RandomJson(random, depth - 1);
                }

                return obj;
        }
    }

    private static FuzzCase Post(int index, string kind, string detail, string body) =>
        Post(index, kind, detail, Encoding.UTF8.GetBytes(body));

    private static FuzzCase Post(int index, string kind, string detail, byte[] body) =>
        new(index, kind, detail, HttpMethod.Post, "/mutate", "application/json", body);

    private static byte[] Splice(byte[] bytes, byte[] find, byte[] replacement)
    {
        var at = bytes.AsSpan().IndexOf(find);
        return at < 0 ? bytes : [.. bytes.AsSpan(0, at), .. replacement, .. bytes.AsSpan(at + find.Length)];
    }
}

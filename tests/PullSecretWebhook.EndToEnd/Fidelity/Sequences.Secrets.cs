using System.Text.Json.Nodes;
using static PullSecretWebhook.EndToEnd.Fidelity.Probe;

namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>Secrets, the product's own kind: CRUD outcomes, optimistic concurrency, preconditions, no-op writes.</summary>
internal static partial class Sequences
{
    public const string CreateGetMissing = "Secrets: create and read back; creating it again is AlreadyExists; a missing one is NotFound on get, delete and patch";
    public const string StaleUpdates = "Secrets: an update with a stale resourceVersion or a foreign uid is a Conflict, without a resourceVersion it overwrites, a uid change by patch is Invalid";
    public const string NoOpWrites = "Secrets: an update or patch that changes nothing keeps the resourceVersion and sends no watch event";
    public const string DeletePreconditions = "Secrets: a delete whose uid or resourceVersion precondition does not hold is a Conflict naming the kind; one that holds deletes";
    public const string SecretValidation = "Secrets: a dockerconfigjson Secret needs valid JSON under .dockerconfigjson, stringData lands in data, type and immutable data cannot change";
    public const string CreateWithServerFields = "ConfigMaps: a create carrying a resourceVersion is refused, a uid sent on create is replaced, null values are dropped or emptied";

    private static IEnumerable<Sequence> SecretSequences()
    {
        yield return new(CreateGetMissing, async p =>
        {
            var created = await p.CreateAsync("create", Secrets, """
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s1","labels":{"app":"fidelity"}},"stringData":{"k":"v"}}
                """, r => Fields(r.Json, "kind", "apiVersion", "type", "data", "stringData", "metadata.labels", "metadata.generation"));
            p.Remember("created", created);
            await p.GetAsync("get", $"{Secrets}/s1", r => $"{Fields(r.Json, "kind", "data")}, rv {p.Relation(ResourceVersionOf(r.Json))}");
            await p.CreateAsync("create again", Secrets, """{"metadata":{"name":"s1"}}""", r => $"{Details(r)}, {Message(r)}");
            await p.GetAsync("get missing", $"{Secrets}/missing", r => $"{Details(r)}, {Message(r)}");
            await p.DeleteAsync("delete missing", $"{Secrets}/missing", facts: Details);
            await p.PatchAsync("patch missing", $"{Secrets}/missing", MergePatch, """{"metadata":{"labels":{"a":"b"}}}""", Details);
            await p.UpdateAsync("update missing", $"{Secrets}/missing", p.Body("""{"metadata":{"name":"missing"}}"""), Details);
            await p.DeleteAsync("delete", $"{Secrets}/s1", facts: r => $"{Fields(r.Json, "kind", "status")}, {Details(r)}");
            await p.GetAsync("get deleted", $"{Secrets}/s1");
        });

        yield return new(StaleUpdates, async p =>
        {
            var created = await p.CreateAsync("create", Secrets, """{"metadata":{"name":"s1"},"data":{"k":"djE="}}""");
            p.Remember("created", created);
            var body = created.Object.DeepClone().AsObject();
            body["data"] = new JsonObject { ["k"] = "djI=" };
            var updated = await p.UpdateAsync("update with the read resourceVersion", $"{Secrets}/s1", body, r => $"rv {p.Relation(ResourceVersionOf(r.Json), "created")}");
            p.Remember("updated", updated);
            body["data"] = new JsonObject { ["k"] = "djM=" };
            await p.UpdateAsync("update with the same, now stale, resourceVersion", $"{Secrets}/s1", body, r => $"{Details(r)}, {Message(r)}");
            var unconditional = updated.Object.DeepClone().AsObject();
            unconditional["metadata"]!.AsObject().Remove("resourceVersion");
            unconditional["data"] = new JsonObject { ["k"] = "djQ=" };
            await p.UpdateAsync("update without a resourceVersion", $"{Secrets}/s1", unconditional, r => $"rv {p.Relation(ResourceVersionOf(r.Json), "updated")}, {Field(r.Json, "data")}");
            var foreign = unconditional.DeepClone().AsObject();
            foreign["metadata"]!["uid"] = "00000000-0000-4000-8000-000000000000";
            await p.UpdateAsync("update with another uid", $"{Secrets}/s1", foreign, r => $"{Details(r)}, {Message(r)}");
            await p.PatchAsync("merge patch with a stale resourceVersion", $"{Secrets}/s1", MergePatch,
                """{"metadata":{"resourceVersion":"RV","labels":{"x":"y"}}}""".Replace("RV", p.Version("created"), StringComparison.Ordinal), r => $"{Details(r)}, {Message(r)}");
            await p.PatchAsync("merge patch that changes the uid", $"{Secrets}/s1", MergePatch,
                """{"metadata":{"uid":"00000000-0000-4000-8000-000000000000"}}""", Details);
            await p.UpdateAsync("update whose name differs from the path", $"{Secrets}/s1", p.Body("""{"metadata":{"name":"other"}}"""));
            await p.UpdateAsync("update whose namespace differs from the path", $"{Secrets}/s1", p.Body("""{"metadata":{"name":"s1","namespace":"default"}}"""));
        });

        yield return new(NoOpWrites, async p =>
        {
            var created = await p.CreateAsync("create", Secrets, """{"metadata":{"name":"s1","labels":{"a":"1"}},"data":{"k":"djE="}}""");
            p.Remember("created", created);
            var same = created.Object.DeepClone().AsObject();
            await p.UpdateAsync("update with identical content", $"{Secrets}/s1", same, r => $"rv {p.Relation(ResourceVersionOf(r.Json), "created")}");
            same["metadata"]!.AsObject().Remove("resourceVersion");
            await p.UpdateAsync("identical update without a resourceVersion", $"{Secrets}/s1", same, r => $"rv {p.Relation(ResourceVersionOf(r.Json), "created")}");
            await p.PatchAsync("merge patch setting the same label", $"{Secrets}/s1", MergePatch, """{"metadata":{"labels":{"a":"1"}}}""", r => $"rv {p.Relation(ResourceVersionOf(r.Json), "created")}");
            await p.PatchAsync("strategic merge patch setting the same data", $"{Secrets}/s1", StrategicMergePatch, """{"data":{"k":"djE="}}""", r => $"rv {p.Relation(ResourceVersionOf(r.Json), "created")}");
            await p.PatchAsync("json patch with only a passing test", $"{Secrets}/s1", JsonPatch, """[{"op":"test","path":"/data/k","value":"djE="}]""", r => $"rv {p.Relation(ResourceVersionOf(r.Json), "created")}");
            await p.PatchAsync("merge patch removing a label that is not there", $"{Secrets}/s1", MergePatch, """{"metadata":{"labels":{"none":null}}}""", r => $"rv {p.Relation(ResourceVersionOf(r.Json), "created")}");

            // The no-ops are history by now; a watch from the create sees only what came after it. The sentinel
            // write ends the wait without sleeping: whatever the no-ops emitted would be queued before it.
            await using var watch = await p.OpenWatchAsync($"{Secrets}?watch=true&resourceVersion={p.Version("created")}");
            p.Remember("sentinel", await p.CreateAsync("create a sentinel", Secrets, """{"metadata":{"name":"sentinel"}}"""));
            var events = await watch.ReadAsync(e => e.Any(x => (string?)x["object"]?["metadata"]?["name"] == "sentinel"), WatchDeadline);
            p.Note("watch from the create", p.Describe(events, "created"));
        });

        yield return new(DeletePreconditions, async p =>
        {
            var created = await p.CreateAsync("create", Secrets, """{"metadata":{"name":"s1"}}""");
            p.Remember("created", created);
            var uid = (string)created.Object["metadata"]!["uid"]!;
            await p.DeleteAsync("delete with another uid", $"{Secrets}/s1", """{"preconditions":{"uid":"00000000-0000-4000-8000-000000000000"}}""", r => $"{Details(r)}, {Message(r)}");
            await p.DeleteAsync("delete with an old resourceVersion", $"{Secrets}/s1", """{"preconditions":{"resourceVersion":"1"}}""", r => $"{Details(r)}, {Message(r)}");
            await p.DeleteAsync("delete with DeleteOptions kind and an old resourceVersion", $"{Secrets}/s1", """{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"resourceVersion":"1"}}""", Details);
            await p.DeleteAsync("delete with both preconditions holding", $"{Secrets}/s1",
                $$$"""{"preconditions":{"uid":"{{{uid}}}","resourceVersion":"{{{p.Version("created")}}}"}}""", r => $"{Fields(r.Json, "kind", "status")}, {Details(r)}");
            await p.GetAsync("get deleted", $"{Secrets}/s1");
        });

        yield return new(SecretValidation, async p =>
        {
            await p.CreateAsync("dockerconfigjson without its key", Secrets, """{"metadata":{"name":"a"},"type":"kubernetes.io/dockerconfigjson","data":{"other":"e30="}}""", Details);
            await p.CreateAsync("dockerconfigjson that is not JSON", Secrets, """{"metadata":{"name":"b"},"type":"kubernetes.io/dockerconfigjson","data":{".dockerconfigjson":"bm90IGpzb24="}}""", Details);
            await p.CreateAsync("data that is not base64", Secrets, """{"metadata":{"name":"c"},"data":{"k":"not base64!"}}""");
            await p.CreateAsync("a key that is no config key", Secrets, """{"metadata":{"name":"d"},"data":{"a b":"e30="}}""", Details);
            await p.CreateAsync("stringData over data", Secrets, """{"metadata":{"name":"e"},"data":{"k":"YQ==","j":"Yg=="},"stringData":{"k":"c"}}""",
                r => Fields(r.Json, "data", "stringData", "type"));
            var valid = await p.CreateAsync("valid dockerconfigjson", Secrets, """{"metadata":{"name":"pull"},"type":"kubernetes.io/dockerconfigjson","data":{".dockerconfigjson":"eyJhdXRocyI6e319"}}""",
                r => Field(r.Json, "type"));
            var retyped = valid.Object.DeepClone().AsObject();
            retyped["type"] = "Opaque";
            await p.UpdateAsync("change the type", $"{Secrets}/pull", retyped, Details);
            var frozen = await p.CreateAsync("immutable Secret", Secrets, """{"metadata":{"name":"frozen"},"immutable":true,"data":{"k":"YQ=="}}""", r => Field(r.Json, "immutable"));
            var changed = frozen.Object.DeepClone().AsObject();
            changed["data"] = new JsonObject { ["k"] = "Yg==" };
            await p.UpdateAsync("change its data", $"{Secrets}/frozen", changed, Details);
            await p.PatchAsync("label it", $"{Secrets}/frozen", MergePatch, """{"metadata":{"labels":{"a":"b"}}}""", r => Field(r.Json, "metadata.labels"));
        });

        yield return new(CreateWithServerFields, async p =>
        {
            await p.CreateAsync("create with a resourceVersion", ConfigMaps, """{"metadata":{"name":"c1","resourceVersion":"5"}}""", Message);
            await p.CreateAsync("create with a uid", ConfigMaps, """{"metadata":{"name":"c2","uid":"00000000-0000-4000-8000-000000000000"}}""",
                r => $"uid kept: {(string?)r.Json?["metadata"]?["uid"] == "00000000-0000-4000-8000-000000000000"}");
            await p.CreateAsync("create with nulls", ConfigMaps, """{"metadata":{"name":"c3","labels":{"x":null},"annotations":null},"data":{"a":null,"b":"1"},"binaryData":null}""",
                r => Fields(r.Json, "metadata.labels", "metadata.annotations", "data", "binaryData"));
            await p.CreateAsync("create with a name that is not a DNS subdomain", ConfigMaps, """{"metadata":{"name":"Not_Valid"}}""", Details);
            await p.CreateAsync("create without a name", ConfigMaps, """{"metadata":{}}""", Details);
            await p.CreateAsync("create with generateName", ConfigMaps, """{"metadata":{"generateName":"gen-"}}""",
                r => $"name: {((string?)r.Json?["metadata"]?["name"])?.Length} characters starting gen-: {((string?)r.Json?["metadata"]?["name"])?.StartsWith("gen-", StringComparison.Ordinal)}");
            await p.CreateAsync("create with another namespace in the body", ConfigMaps, """{"metadata":{"name":"c4","namespace":"default"}}""");
            await p.CreateAsync("create of the wrong kind", ConfigMaps, """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"c5"}}""");
            await p.CreateAsync("create in a namespace that does not exist", "/api/v1/namespaces/{ns}-none/configmaps", """{"metadata":{"name":"c6"}}""", r => $"{Details(r)}, {Message(r)}");
        });
    }
}

using System.Text.RegularExpressions;
using PullSecretWebhook.EndToEnd.ControlPlane;
using static PullSecretWebhook.EndToEnd.Fidelity.Probe;

namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>Lists, selectors, pagination and watches: what the product's informers and its Pod scan do.</summary>
internal static partial class Sequences
{
    public const string Selectors = "Secrets: label and field selectors select as the informers expect (export label, metadata.name, namespace, type)";
    public const string WatchFromList = "Secrets: a watch from a list's resourceVersion gets the later events in order, an object leaving or entering the selector is DELETED or ADDED";
    public const string WatchByName = "Secrets: a cluster-wide watch with fieldSelector metadata.name sees only that object, and a get with ?watch=true on an object path is a plain get";
    public const string Bookmarks = "Secrets: with allowWatchBookmarks a BOOKMARK follows the events, carrying only the resourceVersion, and timeoutSeconds ends the stream";
    public const string ContinueExpired = "Secrets: pages come from one snapshot; after compaction the continue token is 410 Expired with a fresh token to go on inconsistently";
    public const string WatchAfterCompaction = "Secrets: a watch from a resourceVersion older than a compaction";
    public const string ListResourceVersions = "ConfigMaps: a list at an exact resourceVersion shows that snapshot, too new is a Timeout, compacted is Expired, a match without a version is Invalid";
    public const string PodPages = "Pods: limit and continue page a namespace (with remainingItemCount) and the whole cluster by namespace field selector, as the slipped-Pod scan does";

    private static IEnumerable<Sequence> ListWatchSequences()
    {
        yield return new(Selectors, async p =>
        {
            await p.CreateAsync("create exported", Secrets, """
                {"metadata":{"name":"harbor","labels":{"app":"fid","pullsecret-webhook.io/export":"true"}},"type":"kubernetes.io/dockerconfigjson","data":{".dockerconfigjson":"e30="}}
                """);
            await p.CreateAsync("create not exported", Secrets, """{"metadata":{"name":"quay","labels":{"app":"fid","pullsecret-webhook.io/export":"false"}}}""");
            await p.CreateAsync("create unlabelled", Secrets, """{"metadata":{"name":"plain","labels":{"app":"fid"}}}""");
            await p.CreateAsync("create the target", Secrets, """{"metadata":{"name":"pullsecret-webhook","labels":{"app":"fid","app.kubernetes.io/managed-by":"pullsecret-webhook"}}}""");
            foreach (var (step, query) in new[]
            {
                ("export=true", "labelSelector=pullsecret-webhook.io%2Fexport%3Dtrue"),
                ("export in (true,false)", "labelSelector=pullsecret-webhook.io%2Fexport%20in%20(true%2Cfalse)"),
                ("app=fid,!export", "labelSelector=app%3Dfid%2C!pullsecret-webhook.io%2Fexport"),
                ("export!=true (app=fid)", "labelSelector=app%3Dfid%2Cpullsecret-webhook.io%2Fexport!%3Dtrue"),
                ("managed-by exists", "labelSelector=app.kubernetes.io%2Fmanaged-by"),
                ("metadata.name=pullsecret-webhook", "fieldSelector=metadata.name%3Dpullsecret-webhook"),
                ("metadata.name!=harbor (app=fid)", "fieldSelector=metadata.name!%3Dharbor&labelSelector=app%3Dfid"),
                ("type=kubernetes.io/dockerconfigjson", "fieldSelector=type%3Dkubernetes.io%2Fdockerconfigjson"),
                ("metadata.name==quay", "fieldSelector=metadata.name%3D%3Dquay"),
            })
            {
                await p.GetAsync($"list {step}", $"{Secrets}?{query}", Names);
            }

            await p.GetAsync("cluster-wide list by name and namespace", "/api/v1/secrets?fieldSelector=metadata.name%3Dpullsecret-webhook%2Cmetadata.namespace%3D{ns}",
                r => $"{Names(r)}, items carry kind: {r.Json?["items"]?[0]?["kind"] is not null}, list {Fields(r.Json, "kind", "apiVersion")}");
            await p.GetAsync("list with an unknown field", $"{Secrets}?fieldSelector=spec.bogus%3Dx");
            await p.GetAsync("list with a malformed label selector", $"{Secrets}?labelSelector=a%20in%20(");
            await p.GetAsync("list with a field selector using in", $"{Secrets}?fieldSelector=metadata.name%20in%20(a)");
        });

        yield return new(WatchFromList, async p =>
        {
            const string selector = "labelSelector=pullsecret-webhook.io%2Fexport%3Dtrue";
            await p.CreateAsync("create before the list", Secrets, """{"metadata":{"name":"s0","labels":{"pullsecret-webhook.io/export":"true"}}}""");
            var list = await p.GetAsync("list", $"{Secrets}?{selector}", Names);
            p.Remember("list", list);
            p.Remember("s1 created", await p.CreateAsync("create s1", Secrets, """{"metadata":{"name":"s1","labels":{"pullsecret-webhook.io/export":"true"}}}"""));
            p.Remember("s1 changed", await p.PatchAsync("change s1's data", $"{Secrets}/s1", MergePatch, """{"data":{"k":"djE="}}"""));
            p.Remember("s1 unexported", await p.PatchAsync("unexport s1", $"{Secrets}/s1", MergePatch, """{"metadata":{"labels":{"pullsecret-webhook.io/export":"false"}}}"""));
            p.Remember("s1 re-exported", await p.PatchAsync("export s1 again", $"{Secrets}/s1", MergePatch, """{"metadata":{"labels":{"pullsecret-webhook.io/export":"true"}}}"""));
            await p.CreateAsync("create s2 outside the selector", Secrets, """{"metadata":{"name":"s2"}}""");
            await p.DeleteAsync("delete s1", $"{Secrets}/s1");
            p.Remember("sentinel", await p.CreateAsync("create a sentinel", Secrets, """{"metadata":{"name":"sentinel","labels":{"pullsecret-webhook.io/export":"true"}}}"""));

            await using var watch = await p.OpenWatchAsync($"{Secrets}?watch=true&resourceVersion={p.Version("list")}&{selector}");
            var events = await watch.ReadAsync(e => e.Any(x => (string?)x["object"]?["metadata"]?["name"] == "sentinel"), WatchDeadline);
            p.Note("watch from the list", p.Describe(events, "s1 re-exported"));
            p.Note("event objects", string.Join(", ", events.Select(e => $"{e["object"]?["kind"]}/{e["object"]?["apiVersion"]} {Field(e["object"], "metadata.labels")}")));

            await using var fromZero = await p.OpenWatchAsync($"{Secrets}?watch=true&resourceVersion=0&{selector}");
            var initial = await fromZero.ReadAsync(e => e.Count >= 2, WatchDeadline);
            p.Note("watch from resourceVersion 0", string.Join(", ", initial.Select(e => $"{e["type"]} {e["object"]?["metadata"]?["name"]}").Order(StringComparer.Ordinal)));
        });

        yield return new(WatchByName, async p =>
        {
            // Cluster-wide, as the product's target informer watches, but pinned to this namespace too: other
            // tests' namespaces may hold (and be deleting) a Secret of the same name meanwhile.
            const string byName = "fieldSelector=metadata.name%3Dpullsecret-webhook%2Cmetadata.namespace%3D{ns}";
            var list = await p.GetAsync("cluster-wide list by name", $"/api/v1/secrets?{byName}", Names);
            p.Remember("list", list);
            p.Remember("target created", await p.CreateAsync("create the target", Secrets, """{"metadata":{"name":"pullsecret-webhook"}}"""));
            await p.CreateAsync("create another", Secrets, """{"metadata":{"name":"other"}}""");
            p.Remember("target updated", await p.PatchAsync("update the target", $"{Secrets}/pullsecret-webhook", MergePatch, """{"metadata":{"annotations":{"a":"b"}}}"""));
            await p.DeleteAsync("delete the target", $"{Secrets}/pullsecret-webhook");
            p.Remember("target again", await p.CreateAsync("create the target again", Secrets, """{"metadata":{"name":"pullsecret-webhook"}}"""));
            await using var watch = await p.OpenWatchAsync($"/api/v1/secrets?watch=true&resourceVersion={p.Version("list")}&{byName}");
            var events = await watch.ReadAsync(e => e.Count(x => (string?)x["type"] == "ADDED") >= 2, WatchDeadline);
            p.Note("watch by name", p.Describe(events, "target updated"));

            await p.GetAsync("get with ?watch=true on the object's path", $"{Secrets}/pullsecret-webhook?watch=true&resourceVersion={p.Version("list")}",
                r => Fields(r.Json, "kind", "metadata.name"));
        });

        yield return new(Bookmarks, async p =>
        {
            var list = await p.GetAsync("list", $"{Secrets}?labelSelector=bookmark", Names);
            p.Remember("list", list);

            // kube-apiserver 1.20 sends a bookmark 2 s before the watch's deadline, and only once the watch cache has
            // moved past the resourceVersion the watch started from; 1.32 also sends one every minute. A 4 s watch with
            // a write in it gets one from either.
            await using var watch = await p.OpenWatchAsync($"{Secrets}?watch=true&resourceVersion={p.Version("list")}&labelSelector=bookmark&allowWatchBookmarks=true&timeoutSeconds=4");
            p.Remember("created", await p.CreateAsync("create", Secrets, """{"metadata":{"name":"b1","labels":{"bookmark":"yes"}}}"""));
            var events = await watch.ReadToEndAsync(TimeSpan.FromSeconds(15));
            var changes = events.Where(e => (string?)e["type"] != "BOOKMARK").ToList();
            var lastChange = events.ToList().FindLastIndex(e => (string?)e["type"] != "BOOKMARK");
            var after = events.Skip(lastChange + 1).Where(e => (string?)e["type"] == "BOOKMARK").ToList();
            p.Note("events", p.Describe(changes, "list"));
            p.Note("bookmarks after the last event", after.Count == 0 ? "none" : $"at or past it: {after.All(b => Number(ResourceVersionOf(b["object"])) >= Number(p.Version("created")))}");
            p.Note("bookmark object", after.Count == 0 ? "none" : Canonical(Masked(after[^1]["object"], "metadata.resourceVersion")));
            p.Note("stream ended by the server", watch.Ended.ToString());
        });

        yield return new(ContinueExpired, async p =>
        {
            const string selector = "labelSelector=page";
            foreach (var name in (string[])["s1", "s2", "s3"])
            {
                await p.CreateAsync($"create {name}", Secrets, """{"metadata":{"name":"NAME","labels":{"page":"yes"}}}""".Replace("NAME", name, StringComparison.Ordinal));
            }

            var first = await p.GetAsync("first page", $"{Secrets}?{selector}&limit=1", r => $"{Names(r)}, continue: {ContinueShape(r)}, {Field(r.Json, "metadata.remainingItemCount")}");
            p.Remember("first page", first);
            var token = Uri.EscapeDataString((string)first.Object["metadata"]!["continue"]!);
            await p.CreateAsync("create s0 after the first page", Secrets, """{"metadata":{"name":"s0","labels":{"page":"yes"}}}""");
            await p.DeleteAsync("delete s3 after the first page", $"{Secrets}/s3");
            var second = await p.GetAsync("second page", $"{Secrets}?{selector}&limit=1&continue={token}",
                r => $"{Names(r)}, continue: {ContinueShape(r)}, rv {p.Relation(ResourceVersionOf(r.Json))}");
            var secondToken = Uri.EscapeDataString((string)second.Object["metadata"]!["continue"]!);
            await p.ExpireHistoryAsync();
            var expired = await p.GetAsync("third page after compaction", $"{Secrets}?{selector}&limit=1&continue={secondToken}",
                r => $"continue: {ContinueShape(r)}");
            var fresh = (string?)expired.Json?["metadata"]?["continue"];
            await p.GetAsync("go on with the fresh token", $"{Secrets}?{selector}&limit=10&continue={Uri.EscapeDataString(fresh ?? "")}", Names);
            await p.GetAsync("a full list after compaction", $"{Secrets}?{selector}", Names);
            await p.GetAsync("a malformed continue token", $"{Secrets}?{selector}&limit=1&continue=not-a-token");
        });

        yield return new(WatchAfterCompaction, async p =>
        {
            var list = await p.GetAsync("list", $"{Secrets}?labelSelector=compacted", Names);
            p.Remember("list", list);
            // Two writes: etcd keeps the compaction revision itself, so the watch's first revision (the list's + 1)
            // must be older than that for the compaction to reach it.
            await p.CreateAsync("create before compaction", Secrets, """{"metadata":{"name":"before","labels":{"compacted":"yes"}}}""");
            await p.PatchAsync("change it before compaction", $"{Secrets}/before", MergePatch, """{"metadata":{"annotations":{"a":"b"}}}""");
            await p.ExpireHistoryAsync();
            p.Remember("sentinel", await p.CreateAsync("create after compaction", Secrets, """{"metadata":{"name":"after","labels":{"compacted":"yes"}}}"""));
            await using var watch = await p.OpenWatchAsync($"{Secrets}?watch=true&resourceVersion={p.Version("list")}&labelSelector=compacted");
            var events = await watch.ReadAsync(e => e.Any(x => (string?)x["type"] == "ERROR" || (string?)x["object"]?["metadata"]?["name"] == "after"), WatchDeadline);
            p.Note("watch from before the compaction", $"HTTP {(int)watch.Status}, {p.Describe(events, "list")}");
            p.Note("a list restarts it", Names(await p.CallAsync(HttpMethod.Get, $"{Secrets}?labelSelector=compacted")));
        });

        yield return new(ListResourceVersions, async p =>
        {
            p.Remember("created", await p.CreateAsync("create", ConfigMaps, """{"metadata":{"name":"c1","labels":{"rv":"yes"}},"data":{"v":"1"}}"""));
            var list = await p.GetAsync("list", $"{ConfigMaps}?labelSelector=rv", Names);
            p.Remember("list", list);
            p.Remember("updated", await p.PatchAsync("update", $"{ConfigMaps}/c1", MergePatch, """{"data":{"v":"2"}}"""));
            await p.GetAsync("list at resourceVersion 0", $"{ConfigMaps}?labelSelector=rv&resourceVersion=0", Names);
            await p.GetAsync("list exactly at the first list's version", $"{ConfigMaps}?labelSelector=rv&resourceVersion={p.Version("list")}&resourceVersionMatch=Exact",
                // Compared with the list's version only: on the real server other writes (leases, controllers) may or
                // may not have come between the create and the list.
                r => $"{Names(r)}, rv is the list's: {ResourceVersionOf(r.Json) == p.Version("list")}, item {Field(r.Json?["items"]?[0], "data")}");
            // Not older than the update (the watch cache may not have it yet, and then waits for it).
            await p.GetAsync("list not older than the update", $"{ConfigMaps}?labelSelector=rv&resourceVersion={p.Version("updated")}&resourceVersionMatch=NotOlderThan",
                r => $"{Names(r)}, item {Field(r.Json?["items"]?[0], "data")}");
            await p.GetAsync("a match without a version", $"{ConfigMaps}?resourceVersionMatch=Exact", Details);
            await p.GetAsync("an unknown match", $"{ConfigMaps}?resourceVersion=1&resourceVersionMatch=Sometimes");
            await p.GetAsync("a version far in the future", $"{ConfigMaps}?resourceVersion={long.Parse(p.Version("updated"), System.Globalization.CultureInfo.InvariantCulture) + 1_000_000}");
            await p.GetAsync("a version that is not a number", $"{ConfigMaps}?resourceVersion=abc");
            await p.ExpireHistoryAsync();
            await p.GetAsync("exactly at a compacted version", $"{ConfigMaps}?labelSelector=rv&resourceVersion={p.Version("list")}&resourceVersionMatch=Exact", Message);
        });

        yield return new(PodPages, async p =>
        {
            foreach (var name in (string[])["p1", "p2", "p3"])
            {
                await p.CreateAsync($"create {name}", Pods, $$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"containers":[{"name":"app","image":"registry.example.com/team/app:1"}]}}""");
            }

            var first = await p.GetAsync("first page of the namespace", $"{Pods}?limit=2", r => $"{Names(r)}, continue: {ContinueShape(r)}, {Field(r.Json, "metadata.remainingItemCount")}");
            p.Remember("first page", first);
            await p.GetAsync("second page", $"{Pods}?limit=2&continue={Uri.EscapeDataString((string)first.Object["metadata"]!["continue"]!)}",
                r => $"{Names(r)}, continue: {ContinueShape(r)}, {Field(r.Json, "metadata.remainingItemCount")}, rv {p.Relation(ResourceVersionOf(r.Json))}");

            var names = new List<string>();
            string? next = null;
            var pages = 0;
            do
            {
                var query = $"/api/v1/pods?limit=1&fieldSelector=metadata.namespace%3D{{ns}}{(next is null ? "" : "&continue=" + Uri.EscapeDataString(next))}";
                var page = (await p.CallAsync(HttpMethod.Get, query)).EnsureSuccess();
                names.AddRange(page.Object["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
                next = (string?)page.Object["metadata"]?["continue"];
                pages++;
            }
            while (!string.IsNullOrEmpty(next) && pages < 10);

            p.Note("cluster-wide pages by namespace", $"{pages} pages: {string.Join(",", names)}");
            await p.GetAsync("limit 0 is no limit", $"{Pods}?limit=0", r => $"{Names(r)}, continue: {ContinueShape(r)}");
        });
    }

    /// <summary>Whether a list carried a continue token, and whether it is URL-safe (clients put it in a query).</summary>
    private static string ContinueShape(ApiResponse response) =>
        (string?)response.Json?["metadata"]?["continue"] is { Length: > 0 } token
            ? UrlSafe().IsMatch(token) ? "url-safe token" : "token needing escaping"
            : "none";

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex UrlSafe();
}

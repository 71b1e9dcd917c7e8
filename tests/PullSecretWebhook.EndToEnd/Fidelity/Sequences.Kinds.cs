using System.Text.Json.Nodes;
using static PullSecretWebhook.EndToEnd.Fidelity.Probe;

namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>The other kinds the product reads and writes (namespaces, leases, events, its webhook configuration,
/// ServiceAccounts, Pods) and the rest both servers serve (ConfigMaps, RBAC).</summary>
internal static partial class Sequences
{
    public const string NamespaceLifecycle = "Namespaces: list and watch by label; a deleted namespace is Terminating (no new objects: 403) until its finalizers are gone, then DELETED";
    public const string LeaseElection = "Leases: get, create and update as leader election does; times must be MicroTime with six fractional digits";
    public const string CoreEventRecording = "Events (core v1): created as the product records them, involvedObject.namespace must match, listed by field selector";
    public const string EventsV1 = "Events (events.k8s.io/v1): the same objects in the new schema, its field selectors, and its stricter create";
    public const string WebhookConfiguration = "MutatingWebhookConfigurations: defaults on create, a no-op update keeps resourceVersion and generation, a webhook change bumps generation";
    public const string ServiceAccountPatches = "ServiceAccounts: a strategic merge patch replaces imagePullSecrets (no merge key) but merges secrets; JSON patch test op guards a removal";
    public const string PodLifecycle = "Pods: defaults on create, only images may change, a delete marks then removes an unscheduled Pod";
    public const string PatchBasics = "ConfigMaps: merge patch null deletes, JSON patch failures are 422, an unknown patch type is 415";
    public const string Rbac = "RBAC: Roles, RoleBindings and ClusterRoles validate rules and roleRef, and delete preconditions name the kind";

    private static IEnumerable<Sequence> KindSequences()
    {
        yield return new(NamespaceLifecycle, NamespaceLifecycleAsync);

        yield return new(LeaseElection, async p =>
        {
            await p.GetAsync("get missing", $"{Leases}/leader", r => $"{Details(r)}, {Message(r)}");
            var created = await p.CreateAsync("create", Leases, """
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"leader"},
                 "spec":{"holderIdentity":"a","leaseDurationSeconds":15,"acquireTime":"2026-01-02T03:04:05.000000Z","renewTime":"2026-01-02T03:04:05.123456Z","leaseTransitions":0}}
                """, r => Canonical(r.Json?["spec"]));
            p.Remember("created", created);
            await p.CreateAsync("create again", Leases, """{"metadata":{"name":"leader"},"spec":{"holderIdentity":"b"}}""", Details);
            var renewed = created.Object.DeepClone().AsObject();
            renewed["spec"]!["renewTime"] = "2026-01-02T03:04:15.000001Z";
            var updated = await p.UpdateAsync("renew", $"{Leases}/leader", renewed, r => $"rv {p.Relation(ResourceVersionOf(r.Json), "created")}, {Field(r.Json, "spec.renewTime")}");
            p.Remember("renewed", updated);
            var takeover = created.Object.DeepClone().AsObject();
            takeover["spec"]!["holderIdentity"] = "b";
            await p.UpdateAsync("take over with the stale read", $"{Leases}/leader", takeover, r => $"{Details(r)}, {Message(r)}");
            await p.CreateAsync("create with whole-second times", Leases, """{"metadata":{"name":"l2"},"spec":{"renewTime":"2026-01-02T03:04:05Z"}}""");
            await p.CreateAsync("create with millisecond times", Leases, """{"metadata":{"name":"l3"},"spec":{"renewTime":"2026-01-02T03:04:05.123Z"}}""");
            await p.CreateAsync("create with seven fractional digits", Leases, """{"metadata":{"name":"l4"},"spec":{"renewTime":"2026-01-02T03:04:05.1234567Z"}}""");
            await p.CreateAsync("create with an offset", Leases, """{"metadata":{"name":"l5"},"spec":{"acquireTime":"2026-01-02T04:04:05.000000+01:00"}}""", r => Field(r.Json, "spec.acquireTime"));
            await p.CreateAsync("create with null times", Leases, """{"metadata":{"name":"l6"},"spec":{"renewTime":null,"holderIdentity":null}}""", r => Field(r.Json, "spec"));
            await p.CreateAsync("create with a zero duration and negative transitions", Leases, """{"metadata":{"name":"l7"},"spec":{"leaseDurationSeconds":0,"leaseTransitions":-1}}""", Details);
            await p.DeleteAsync("delete with another uid", $"{Leases}/leader", """{"preconditions":{"uid":"00000000-0000-4000-8000-000000000000"}}""", r => $"{Details(r)}, {Message(r)}");
            await p.DeleteAsync("delete", $"{Leases}/leader", facts: Details);
        });

        yield return new(CoreEventRecording, async p =>
        {
            var secret = await p.CreateAsync("create the Secret it is about", Secrets, """{"metadata":{"name":"harbor"}}""");
            var uid = (string)secret.Object["metadata"]!["uid"]!;
            var rv = ResourceVersionOf(secret.Json);

            // As EventRecorder builds it: generateName from the object, core v1 fields only, no eventTime.
            await p.CreateAsync("create as the product does", CoreEvents, $$$"""
                {"apiVersion":"v1","kind":"Event","metadata":{"generateName":"harbor.","namespace":"{ns}"},
                 "involvedObject":{"apiVersion":"v1","kind":"Secret","name":"harbor","namespace":"{ns}","uid":"{{{uid}}}","resourceVersion":"{{{rv}}}"},
                 "reason":"InvalidSource","message":"m","type":"Warning","count":1,
                 "firstTimestamp":"2026-01-02T03:04:05Z","lastTimestamp":"2026-01-02T03:04:05Z","source":{"component":"pullsecret-webhook"}}
                """, r => $"generated name {((string?)r.Json?["metadata"]?["name"])?.Length} characters, "
                    + Fields(r.Json, "reason", "message", "type", "count", "source", "firstTimestamp", "eventTime", "reportingComponent", "reportingInstance", "action", "series", "related"));
            await p.CreateAsync("create about another namespace", CoreEvents, """
                {"metadata":{"generateName":"harbor."},"involvedObject":{"kind":"Secret","name":"harbor","namespace":"default"},"reason":"R","type":"Normal"}
                """, Details);
            await p.CreateAsync("create without involvedObject.namespace", CoreEvents, """
                {"metadata":{"generateName":"harbor."},"involvedObject":{"kind":"Secret","name":"harbor"},"reason":"R","type":"Normal"}
                """, Details);
            await p.CreateAsync("create with a name that is no DNS subdomain", CoreEvents, """
                {"metadata":{"name":"Harbor_Event"},"involvedObject":{"kind":"Secret","name":"harbor","namespace":"{ns}"},"reason":"Other","type":"Unusual"}
                """, r => Fields(r.Json, "metadata.name", "type", "source", "eventTime"));
            await p.CreateAsync("create with an eventTime but no reportingComponent", CoreEvents, """
                {"metadata":{"generateName":"harbor."},"involvedObject":{"kind":"Secret","name":"harbor","namespace":"{ns}"},"reason":"R","eventTime":"2026-01-02T03:04:05.000000Z"}
                """, Details);
            await p.GetAsync("list by involvedObject", $"{CoreEvents}?fieldSelector=involvedObject.kind%3DSecret%2CinvolvedObject.name%3Dharbor",
                r => $"{r.Json?["items"]?.AsArray().Count} items");
            await p.GetAsync("list by reason and type", $"{CoreEvents}?fieldSelector=reason%3DInvalidSource%2Ctype%3DWarning",
                r => $"{r.Json?["items"]?.AsArray().Count} items");
            await p.GetAsync("list by source", $"{CoreEvents}?fieldSelector=source%3Dpullsecret-webhook", r => $"{r.Json?["items"]?.AsArray().Count} items");
            await p.GetAsync("list by reportingComponent", $"{CoreEvents}?fieldSelector=reportingComponent%3D", r => $"{r.Json?["items"]?.AsArray().Count} items");
        });

        yield return new(EventsV1, async p =>
        {
            await p.CreateAsync("create a core Event", CoreEvents, """
                {"metadata":{"name":"core"},"involvedObject":{"apiVersion":"v1","kind":"Secret","name":"harbor","namespace":"{ns}"},
                 "reason":"InvalidSource","message":"m","type":"Warning","count":2,"source":{"component":"pullsecret-webhook"},
                 "firstTimestamp":"2026-01-02T03:04:05Z","lastTimestamp":"2026-01-02T03:04:06Z"}
                """);
            await p.GetAsync("read it through events.k8s.io", $"{Events}/core", r => Canonical(Masked(Masked(Masked(Masked(r.Json, "metadata.uid"), "metadata.resourceVersion"), "metadata.creationTimestamp"), "metadata.managedFields")));
            foreach (var (step, selector) in new[]
            {
                ("regarding.name", "regarding.name%3Dharbor"),
                ("regarding.kind and namespace", "regarding.kind%3DSecret%2Cregarding.namespace%3D{ns}"),
                ("reason and type", "reason%3DInvalidSource%2Ctype%3DWarning"),
                ("reportingController", "reportingController%3Dpsw.io%2Ffidelity"),
                ("involvedObject.name (a core field)", "involvedObject.name%3Dharbor"),
            })
            {
                await p.GetAsync($"list by {step}", $"{Events}?fieldSelector={selector}", Names);
            }

            await p.CreateAsync("create without eventTime", Events, """
                {"metadata":{"generateName":"harbor-"},"regarding":{"kind":"Secret","name":"harbor","namespace":"{ns}"},"reason":"R","note":"n","type":"Normal"}
                """, Details);
            await p.CreateAsync("create with a generateName ending in a dot", Events, """
                {"metadata":{"generateName":"harbor."},"regarding":{"kind":"Secret","name":"harbor","namespace":"{ns}"},"reason":"R","note":"n","type":"Normal",
                 "eventTime":"2026-01-02T03:04:05.000000Z","reportingController":"psw.io/fidelity","reportingInstance":"i1","action":"Check"}
                """, Details);
            await p.CreateAsync("create with every required field", Events, """
                {"metadata":{"name":"new"},"regarding":{"kind":"Secret","name":"harbor","namespace":"{ns}"},"reason":"R","note":"n","type":"Normal",
                 "eventTime":"2026-01-02T03:04:05.000000Z","reportingController":"psw.io/fidelity","reportingInstance":"i1","action":"Check"}
                """, r => Canonical(Masked(Masked(Masked(Masked(r.Json, "metadata.uid"), "metadata.resourceVersion"), "metadata.creationTimestamp"), "metadata.managedFields")));
            await p.GetAsync("read it through core v1", $"{CoreEvents}/new", r => Canonical(Masked(Masked(Masked(Masked(r.Json, "metadata.uid"), "metadata.resourceVersion"), "metadata.creationTimestamp"), "metadata.managedFields")));
            await p.CreateAsync("create with a bad type and a deprecated field", Events, """
                {"metadata":{"name":"bad"},"regarding":{"kind":"Secret","name":"harbor","namespace":"{ns}"},"reason":"R","note":"n","type":"Unusual",
                 "eventTime":"2026-01-02T03:04:05.000000Z","reportingController":"psw.io/fidelity","reportingInstance":"i1","action":"Check","deprecatedCount":3}
                """, Details);
            await p.CreateAsync("create without the reporting fields", Events, """
                {"metadata":{"name":"bare"},"regarding":{"kind":"Secret","name":"harbor","namespace":"{ns}"},"type":"Normal","eventTime":"2026-01-02T03:04:05.000000Z"}
                """, Details);
        });

        yield return new(WebhookConfiguration, async p =>
        {
            var path = $"{Webhooks}/{{ns}}";
            p.Target.DeleteAfterwards(path.Replace("{ns}", p.Ns, StringComparison.Ordinal));

            // Scoped to a namespace label nobody has, failurePolicy Ignore: it must never touch another test's Pods.
            var created = await p.CreateAsync("create with only the required fields", Webhooks, """
                {"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingWebhookConfiguration","metadata":{"name":"{ns}","labels":{"app.kubernetes.io/managed-by":"fidelity"}},
                 "webhooks":[{"name":"pods.fidelity.example.com","clientConfig":{"service":{"name":"none","namespace":"{ns}","path":"/mutate"},"caBundle":"Zm9v"},
                   "rules":[{"operations":["CREATE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["pods"]}],"failurePolicy":"Ignore",
                   "namespaceSelector":{"matchLabels":{"fidelity.pullsecret-webhook.io/never":"true"}},"sideEffects":"None","admissionReviewVersions":["v1"]}]}
                """, r => $"{Field(r.Json, "metadata.generation")}, webhooks {Canonical(r.Json?["webhooks"])}");
            p.Remember("created", created);
            var same = created.Object.DeepClone().AsObject();
            await p.UpdateAsync("update with identical content", path, same, r => $"rv {p.Relation(ResourceVersionOf(r.Json), "created")}, {Field(r.Json, "metadata.generation")}");
            var relabelled = same.DeepClone().AsObject();
            relabelled["metadata"]!["labels"]!["extra"] = "label";
            var labelled = await p.UpdateAsync("update only a label", path, relabelled, r => $"rv {p.Relation(ResourceVersionOf(r.Json), "created")}, {Field(r.Json, "metadata.generation")}");
            var changed = labelled.Object.DeepClone().AsObject();
            changed["webhooks"]![0]!["timeoutSeconds"] = 5;
            var updated = await p.UpdateAsync("update the webhook's timeout", path, changed, r => $"rv {p.Relation(ResourceVersionOf(r.Json), "created")}, {Field(r.Json, "metadata.generation")}");
            p.Remember("updated", updated);
            await p.UpdateAsync("update with the stale read", path, same, r => $"{Details(r)}, {Message(r)}");
            await p.GetAsync("get", path, r => $"rv {p.Relation(ResourceVersionOf(r.Json), "updated")}, {Field(r.Json, "metadata.generation")}");

            // Last: on 1.20 the field is unknown and dropped, which makes this update a no-op there.
            var conditional = updated.Object.DeepClone().AsObject();
            conditional["webhooks"]![0]!["matchConditions"] = new JsonArray(new JsonObject { ["name"] = "not-mirror", ["expression"] = "true" });
            await p.UpdateAsync("update with matchConditions", path, conditional, r => Field(r.Json?["webhooks"]?[0], "matchConditions"));
            await p.CreateAsync("create without sideEffects and with a bad name", Webhooks, """
                {"metadata":{"name":"{ns}-bad"},"webhooks":[{"name":"nodots","clientConfig":{"url":"https://example.com/x"},"admissionReviewVersions":["v1"]}]}
                """, Details);
            await p.DeleteAsync("delete", path, facts: r => $"{Fields(r.Json, "kind", "status")}, {Details(r)}");
        });

        yield return new(ServiceAccountPatches, async p =>
        {
            await p.CreateAsync("create", ServiceAccounts, """{"metadata":{"name":"builder"},"imagePullSecrets":[{"name":"existing"}]}""", r => Field(r.Json, "imagePullSecrets"));
            await p.PatchAsync("strategic merge patch adding our entry", $"{ServiceAccounts}/builder", StrategicMergePatch,
                """{"metadata":{"annotations":{"pullsecret-webhook.io/added-image-pull-secret":"pullsecret-webhook"}},"imagePullSecrets":[{"name":"pullsecret-webhook"}]}""",
                r => Fields(r.Json, "imagePullSecrets", "metadata.annotations"));
            await p.PatchAsync("strategic merge patch listing every entry", $"{ServiceAccounts}/builder", StrategicMergePatch,
                """{"imagePullSecrets":[{"name":"existing"},{"name":"pullsecret-webhook"}]}""", r => Field(r.Json, "imagePullSecrets"));
            await p.PatchAsync("strategic merge patch to secrets", $"{ServiceAccounts}/builder", StrategicMergePatch,
                """{"secrets":[{"name":"extra"}]}""", r => $"secrets named extra: {r.Json?["secrets"]?.AsArray().Count(s => (string?)s?["name"] == "extra")}, others kept: {r.Json?["secrets"]?.AsArray().Count > 1 == r.Json?["secrets"]?.AsArray().Any(s => ((string?)s?["name"])?.StartsWith("builder-token-", StringComparison.Ordinal) == true)}");
            await p.PatchAsync("json patch whose test fails", $"{ServiceAccounts}/builder", JsonPatch,
                """[{"op":"test","path":"/imagePullSecrets/0/name","value":"pullsecret-webhook"},{"op":"remove","path":"/imagePullSecrets/0"}]""", r => $"{Details(r)}, {Message(r)}");
            await p.PatchAsync("json patch removing our entry after its test", $"{ServiceAccounts}/builder", JsonPatch, """
                [{"op":"test","path":"/imagePullSecrets/1/name","value":"pullsecret-webhook"},{"op":"remove","path":"/imagePullSecrets/1"},
                 {"op":"remove","path":"/metadata/annotations/pullsecret-webhook.io~1added-image-pull-secret"}]
                """, r => Fields(r.Json, "imagePullSecrets", "metadata.annotations"));
            await p.PatchAsync("json patch removing the last entry", $"{ServiceAccounts}/builder", JsonPatch, """[{"op":"remove","path":"/imagePullSecrets/0"}]""",
                r => Field(r.Json, "imagePullSecrets"));
            await p.PatchAsync("json patch adding to a missing list", $"{ServiceAccounts}/builder", JsonPatch, """[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"x"}}]""");
            await p.PatchAsync("json patch testing a missing path", $"{ServiceAccounts}/builder", JsonPatch, """[{"op":"test","path":"/imagePullSecrets/5/name","value":"x"}]""");
            await p.PatchAsync("json patch with an unknown op", $"{ServiceAccounts}/builder", JsonPatch, """[{"op":"bogus","path":"/x"}]""", Details);
            await p.PatchAsync("json patch that is not a list", $"{ServiceAccounts}/builder", JsonPatch, """{"op":"add"}""");
            await p.PatchAsync("merge patch replacing the list", $"{ServiceAccounts}/builder", MergePatch, """{"imagePullSecrets":[{"name":"a"},{"name":"b"}]}""", r => Field(r.Json, "imagePullSecrets"));
            await p.PatchAsync("strategic merge patch deleting by $patch", $"{ServiceAccounts}/builder", StrategicMergePatch, """{"imagePullSecrets":[{"$patch":"replace"}]}""");
        });

        yield return new(PodLifecycle, async p =>
        {
            var created = await p.CreateAsync("create", Pods, """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"app","labels":{"app":"x"}},
                 "spec":{"containers":[{"name":"app","image":"registry.example.com/team/app:1"}],"imagePullSecrets":[{"name":"a"}]}}
                """, r => string.Join(", ",
                    Fields(r.Json, "metadata.generation", "spec.restartPolicy", "spec.dnsPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.serviceAccount",
                        "spec.enableServiceLinks", "spec.priority", "spec.preemptionPolicy", "spec.terminationGracePeriodSeconds", "spec.securityContext", "spec.imagePullSecrets", "status"),
                    "tolerations " + Canonical(r.Json?["spec"]?["tolerations"]),
                    "container " + Canonical(WithoutMounts(r.Json?["spec"]?["containers"]?[0]))));
            p.Note("token volume", (string?)created.Json?["spec"]?["volumes"]?[0]?["name"] is { } volume
                ? volume.StartsWith("default-token-", StringComparison.Ordinal) ? "a Secret volume default-token-*" : volume.StartsWith("kube-api-access-", StringComparison.Ordinal) ? "a projected volume kube-api-access-*" : volume
                : "none");
            p.Remember("created", created);
            await p.CreateAsync("create without containers", Pods, """{"metadata":{"name":"empty"},"spec":{"containers":[]}}""", Details);
            await p.CreateAsync("create with an untagged image", Pods, """{"metadata":{"name":"latest"},"spec":{"containers":[{"name":"app","image":"busybox"}]}}""",
                r => Field(r.Json?["spec"]?["containers"]?[0], "imagePullPolicy"));
            p.Remember("image changed", await p.PatchAsync("change the image", $"{Pods}/app", StrategicMergePatch,
                """{"spec":{"containers":[{"name":"app","image":"registry.example.com/team/app:2"}]}}""",
                r => $"{Field(r.Json?["spec"]?["containers"]?[0], "image")}, {Field(r.Json, "metadata.generation")}"));
            await p.PatchAsync("change the restart policy", $"{Pods}/app", StrategicMergePatch, """{"spec":{"restartPolicy":"Never"}}""", Details);
            await p.PatchAsync("add a pull secret", $"{Pods}/app", StrategicMergePatch, """{"spec":{"imagePullSecrets":[{"name":"b"}]}}""", Details);
            await p.PatchAsync("add a toleration", $"{Pods}/app", JsonPatch, """[{"op":"add","path":"/spec/tolerations/-","value":{"key":"k","operator":"Exists"}}]""",
                r => $"tolerations {r.Json?["spec"]?["tolerations"]?.AsArray().Count}");
            var watch = await p.OpenWatchAsync($"{Pods}?watch=true&resourceVersion={ResourceVersionOf((await p.CallAsync(HttpMethod.Get, $"{Pods}/app")).Json)}&fieldSelector=metadata.name%3Dapp");
            await using (watch)
            {
                await p.DeleteAsync("delete", $"{Pods}/app", facts: r => $"{Fields(r.Json, "kind", "metadata.deletionGracePeriodSeconds")}, deletionTimestamp set: {r.Json?["metadata"]?["deletionTimestamp"] is not null}");
                var events = await watch.ReadAsync(e => e.Any(x => (string?)x["type"] == "DELETED"), WatchDeadline);
                p.Note("watch of the delete", string.Join(", ", events.Select(e =>
                    $"{e["type"]} deletionTimestamp={e["object"]?["metadata"]?["deletionTimestamp"] is not null} grace={e["object"]?["metadata"]?["deletionGracePeriodSeconds"]?.ToJsonString() ?? "absent"}")));
            }

            await p.GetAsync("get deleted", $"{Pods}/app");
        });

        yield return new(PatchBasics, async p =>
        {
            await p.CreateAsync("create", ConfigMaps, """{"metadata":{"name":"c1","labels":{"a":"1"}},"data":{"a":"1","b":"2"}}""");
            await p.PatchAsync("merge patch deleting and adding keys", $"{ConfigMaps}/c1", MergePatch, """{"data":{"a":null,"c":"3"}}""", r => Field(r.Json, "data"));
            await p.PatchAsync("strategic merge patch deleting a label", $"{ConfigMaps}/c1", StrategicMergePatch, """{"metadata":{"labels":{"a":null}}}""", r => Field(r.Json, "metadata.labels"));
            await p.PatchAsync("json patch replace", $"{ConfigMaps}/c1", JsonPatch, """[{"op":"replace","path":"/data/b","value":"20"}]""", r => Field(r.Json, "data"));
            await p.CreateAsync("create another", ConfigMaps, """{"metadata":{"name":"c2"},"data":{"a":"1"}}""");
            await p.PatchAsync("json patch replace of a missing key", $"{ConfigMaps}/c2", JsonPatch, """[{"op":"replace","path":"/data/zz","value":"1"}]""", r => Field(r.Json, "data"));
            await p.PatchAsync("json patch move and copy", $"{ConfigMaps}/c1", JsonPatch, """[{"op":"move","from":"/data/c","path":"/data/d"},{"op":"copy","from":"/data/d","path":"/data/e"}]""", r => Field(r.Json, "data"));
            await p.PatchAsync("json patch test failing", $"{ConfigMaps}/c1", JsonPatch, """[{"op":"test","path":"/data/b","value":"nope"}]""", Details);
            await p.PatchAsync("merge patch that is not an object", $"{ConfigMaps}/c1", MergePatch, """["a"]""");
            await p.StepAsync("patch with an unknown content type", HttpMethod.Patch, $"{ConfigMaps}/c1", p.Body("""{"data":{}}"""), "text/plain");
            await p.PatchAsync("strategic merge patch with an unknown directive", $"{ConfigMaps}/c1", StrategicMergePatch, """{"$patch":"bogus"}""");
            await p.PatchAsync("merge patch emptying the data", $"{ConfigMaps}/c1", MergePatch, """{"data":{"b":null,"d":null,"e":null}}""", r => Field(r.Json, "data"));
            await p.StepAsync("update with an invalid JSON body", HttpMethod.Put, $"{ConfigMaps}/c1", JsonValue.Create("not an object"));
        });

        yield return new(Rbac, async p =>
        {
            await p.CreateAsync("create a Role", Roles, """{"metadata":{"name":"reader"},"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["get","list"]}]}""",
                r => $"rules {Canonical(r.Json?["rules"])}");
            await p.CreateAsync("create a Role with incomplete rules", Roles, """{"metadata":{"name":"broken"},"rules":[{"resources":["secrets"]}]}""", Details);
            await p.CreateAsync("create a Role with a colon in its name", Roles, """{"metadata":{"name":"system:fidelity"},"rules":[]}""");
            await p.CreateAsync("create a RoleBinding", RoleBindings, """
                {"metadata":{"name":"reader"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"},
                 "subjects":[{"kind":"ServiceAccount","name":"default","namespace":"{ns}"}]}
                """);
            await p.PatchAsync("change the roleRef", $"{RoleBindings}/reader", MergePatch, """{"roleRef":{"name":"other"}}""", Details);
            await p.PatchAsync("change the subjects", $"{RoleBindings}/reader", MergePatch, """{"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"}]}""",
                r => Canonical(r.Json?["subjects"]));
            await p.CreateAsync("create a RoleBinding without a roleRef", RoleBindings, """{"metadata":{"name":"noref"},"subjects":[]}""", Details);
            var clusterRole = $"{ClusterRoles}/{{ns}}";
            p.Target.DeleteAfterwards(clusterRole.Replace("{ns}", p.Ns, StringComparison.Ordinal));
            await p.CreateAsync("create a ClusterRole", ClusterRoles, """{"metadata":{"name":"{ns}"},"rules":[{"nonResourceURLs":["/healthz"],"verbs":["get"]}]}""");
            await p.DeleteAsync("delete the ClusterRole with an old resourceVersion", clusterRole, """{"preconditions":{"resourceVersion":"1"}}""", r => $"{Details(r)}, {Message(r)}");
            await p.DeleteAsync("delete the ClusterRole", clusterRole, facts: Details);
            await p.DeleteAsync("delete the Role with another uid", $"{Roles}/reader", """{"preconditions":{"uid":"00000000-0000-4000-8000-000000000000"}}""", Details);
            var clusterBinding = $"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/{{ns}}";
            p.Target.DeleteAfterwards(clusterBinding.Replace("{ns}", p.Ns, StringComparison.Ordinal));
            await p.CreateAsync("create a ClusterRoleBinding to a Role", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """
                {"metadata":{"name":"{ns}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"},"subjects":[{"kind":"Group","name":"fidelity"}]}
                """, Details);
            await p.CreateAsync("create a ClusterRoleBinding", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """
                {"metadata":{"name":"{ns}"},"roleRef":{"kind":"ClusterRole","name":"view"},"subjects":[{"kind":"Group","name":"fidelity"}]}
                """, r => $"roleRef {Canonical(r.Json?["roleRef"])}, subjects {Canonical(r.Json?["subjects"])}");
            await p.DeleteAsync("delete the ClusterRoleBinding", clusterBinding, facts: Details);
        });
    }

    /// <summary>A container without what the ServiceAccount admission plugin adds (its token mount differs by version).</summary>
    private static JsonObject? WithoutMounts(JsonNode? container)
    {
        var copy = container?.DeepClone().AsObject();
        copy?.Remove("volumeMounts");
        return copy;
    }

    private static async Task NamespaceLifecycleAsync(Probe p)
    {
        const string hold = "fidelity.pullsecret-webhook.io/hold";
        var byRun = $"labelSelector={Uri.EscapeDataString(FidelityTarget.RunLabel)}%3D{{ns}}";
        var list = await p.GetAsync("list by label", $"{Namespaces}?{byRun}", Names);
        p.Remember("list", list);
        await using var watch = await p.OpenWatchAsync($"{Namespaces}?watch=true&resourceVersion={p.Version("list")}&{byRun}");

        // Our own finalizer keeps the namespace Terminating until we let go, so the steps in between are not a race
        // with the namespace controller.
        var created = await p.CreateAsync("create with a finalizer of ours", Namespaces, $$$"""
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{ns}-b","labels":{"{{{FidelityTarget.RunLabel}}}":"{ns}"}},"spec":{"finalizers":["{{{hold}}}"]}}
            """, r => Fields(r.Json, "spec", "status", "metadata.labels"));
        p.Remember("created", created);
        await p.CreateAsync("create a ConfigMap in it", "/api/v1/namespaces/{ns}-b/configmaps", """{"metadata":{"name":"c1"}}""");
        await p.GetAsync("list by label again", $"{Namespaces}?{byRun}", Names);
        await p.GetAsync("list by name", $"{Namespaces}?fieldSelector=metadata.name%3D{{ns}}-b", Names);
        await p.GetAsync("list Active ones by label", $"{Namespaces}?fieldSelector=status.phase%3DActive&{byRun}", Names);
        await p.DeleteAsync("delete", $"{Namespaces}/{{ns}}-b", facts: r => $"{Fields(r.Json, "kind", "spec", "status.phase")}, deletionTimestamp set: {r.Json?["metadata"]?["deletionTimestamp"] is not null}");
        await p.CreateAsync("create a ConfigMap in the terminating namespace", "/api/v1/namespaces/{ns}-b/configmaps", """{"metadata":{"name":"c2"}}""", r => $"{Details(r)}, {Message(r)}");
        await p.DeleteAsync("delete again", $"{Namespaces}/{{ns}}-b", facts: r => Field(r.Json, "status.phase"));
        await p.GetAsync("list Terminating ones by label", $"{Namespaces}?fieldSelector=status.phase%3DTerminating&{byRun}", Names);
        await p.WaitUntilAsync(async () => (await p.CallAsync(HttpMethod.Get, $"{Namespaces}/{{ns}}-b")).Json?["spec"]?["finalizers"]?.ToJsonString() == $"[\"{hold}\"]",
            "the namespace controller emptied the namespace and removed its own finalizer");
        await p.GetAsync("its ConfigMaps once the controller is done", "/api/v1/namespaces/{ns}-b/configmaps", Names);
        await p.StepAsync("finalize with no finalizers left", HttpMethod.Put, $"{Namespaces}/{{ns}}-b/finalize", p.Body("""
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{ns}-b"},"spec":{"finalizers":[]}}
            """), facts: r => Fields(r.Json, "spec", "status.phase"));
        await p.WaitUntilAsync(async () => (await p.CallAsync(HttpMethod.Get, $"{Namespaces}/{{ns}}-b")).Status == System.Net.HttpStatusCode.NotFound, "the namespace is gone");
        var events = await watch.ReadAsync(e => e.Any(x => (string?)x["type"] == "DELETED"), WatchDeadline);

        // The namespace controller also writes status conditions as it goes (how many times depends on its timing);
        // repeated states are folded so the record is the lifecycle, not the controller's retries.
        var states = events.Select(e => $"{e["type"]} {e["object"]?["metadata"]?["name"]} {e["object"]?["status"]?["phase"]} {e["object"]?["spec"]?["finalizers"]?.ToJsonString() ?? "[]"}")
            .Aggregate(new List<string>(), (folded, state) =>
            {
                if (folded.Count == 0 || folded[^1] != state)
                {
                    folded.Add(state);
                }

                return folded;
            });
        p.Note("watch of the lifecycle", string.Join(" -> ", states));
        await p.DeleteAsync("delete a system namespace", $"{Namespaces}/kube-system", facts: Message);
    }
}

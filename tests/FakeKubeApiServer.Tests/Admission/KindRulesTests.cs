using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Admission;

/// <summary>Decoding, defaults and validation of Leases, Events, RBAC objects, Pods and object metadata, as
/// kube-apiserver applies them (each checked against it by the end-to-end fidelity tests).</summary>
public sealed class KindRulesTests : FakeServerTest
{
    private const string Leases = "/apis/coordination.k8s.io/v1/namespaces/team-a/leases";
    private const string CoreEvents = "/api/v1/namespaces/team-a/events";
    private const string Events = "/apis/events.k8s.io/v1/namespaces/team-a/events";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateNamespaceAsync("team-a");
    }

    [Theory]
    [InlineData("2026-01-02T03:04:05Z")]
    [InlineData("2026-01-02T03:04:05.123Z")]
    [InlineData("2026-01-02T03:04:05.1234567Z")]
    public async Task Lease_TimeWithoutSixFractionalDigits_Returns400(string renewTime)
    {
        var response = await Client.PostJsonAsync(Leases, JsonNode.Parse("""{"metadata":{"name":"l"},"spec":{"renewTime":"TIME"}}""".Replace("TIME", renewTime, StringComparison.Ordinal))!);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task Lease_TimeWithAnOffset_IsStoredInUtc_AndNullsAreDropped()
    {
        var response = await Client.PostJsonAsync(Leases, JsonNode.Parse("""{"metadata":{"name":"l"},"spec":{"acquireTime":"2026-01-02T04:04:05.000001+01:00","holderIdentity":null}}""")!);

        Assert.Equal("""{"acquireTime":"2026-01-02T03:04:05.000001Z"}""", response.Object["spec"]!.ToJsonString());
    }

    [Fact]
    public async Task Lease_ZeroDurationAndNegativeTransitions_Returns422()
    {
        var response = await Client.PostJsonAsync(Leases, JsonNode.Parse("""{"metadata":{"name":"l"},"spec":{"leaseDurationSeconds":0,"leaseTransitions":-1}}""")!);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.StartsWith("Lease.coordination.k8s.io \"l\" is invalid: [spec.leaseDurationSeconds", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CoreEvent_AsAClientRecordsIt_GetsTheAlwaysWrittenFields()
    {
        var response = await Client.PostJsonAsync(CoreEvents, JsonNode.Parse("""
            {"metadata":{"generateName":"s."},"involvedObject":{"kind":"Secret","name":"s","namespace":"team-a"},"reason":"R","type":"Warning","count":1,
             "firstTimestamp":"2026-01-02T03:04:05.9Z","source":{"component":"c"}}
            """)!);

        var ev = response.Object;
        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("2026-01-02T03:04:05Z", ev["firstTimestamp"]!.GetValue<string>());
        Assert.Null(ev["lastTimestamp"]);
        Assert.True(ev.ContainsKey("lastTimestamp"));
        Assert.Null(ev["eventTime"]);
        Assert.True(ev.ContainsKey("eventTime"));
        Assert.Equal("", ev["reportingComponent"]!.GetValue<string>());
        Assert.Equal("", ev["reportingInstance"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"kind":"Secret","name":"s","namespace":"other"}""")]
    [InlineData("""{"kind":"Secret","name":"s"}""")]
    public async Task CoreEvent_AboutAnotherNamespace_Returns422(string involvedObject)
    {
        var response = await Client.PostJsonAsync(CoreEvents, JsonNode.Parse($$"""{"metadata":{"name":"e"},"involvedObject":{{involvedObject}},"reason":"R"}""")!);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("involvedObject.namespace", response.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task CoreEvent_NameIsNoDnsSubdomain_IsAccepted()
    {
        var response = await Client.PostJsonAsync(CoreEvents, JsonNode.Parse("""{"metadata":{"name":"Not_A_Subdomain"},"involvedObject":{"namespace":"team-a"},"type":"Unusual"}""")!);

        Assert.Equal(HttpStatusCode.Created, response.Status);
    }

    [Fact]
    public async Task EventsV1_WithoutEventTime_Returns422_AndWithEverything_ReadsBackInBothSchemas()
    {
        var missing = await Client.PostJsonAsync(Events, JsonNode.Parse("""{"metadata":{"name":"a"},"regarding":{"namespace":"team-a"},"reason":"R","type":"Normal"}""")!);
        var created = await Client.PostJsonAsync(Events, JsonNode.Parse("""
            {"metadata":{"name":"b"},"regarding":{"kind":"Secret","name":"s","namespace":"team-a"},"reason":"R","note":"n","type":"Normal",
             "eventTime":"2026-01-02T03:04:05.000000Z","reportingController":"example.com/c","reportingInstance":"i","action":"A"}
            """)!);
        var core = await Client.GetJsonAsync($"{CoreEvents}/b");
        var selected = await Client.GetJsonAsync($"{Events}?fieldSelector=regarding.name%3Ds%2CreportingController%3Dexample.com%2Fc");

        Assert.Equal("eventTime", missing.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("{}", created.Object["deprecatedSource"]!.ToJsonString());
        Assert.Null(created.Object["deprecatedFirstTimestamp"]);
        Assert.True(created.Object.ContainsKey("deprecatedFirstTimestamp"));
        Assert.Equal("example.com/c", core.Object["reportingComponent"]!.GetValue<string>());
        Assert.Equal(["b"], selected.ItemNames);
    }

    [Fact]
    public async Task EventsV1_SelectingByACoreField_Returns400()
    {
        var response = await Client.GetJsonAsync($"{Events}?fieldSelector=involvedObject.name%3Ds");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task CoreEvents_SelectBySource_MatchesTheComponent()
    {
        await Client.PostJsonAsync(CoreEvents, JsonNode.Parse("""{"metadata":{"name":"e"},"involvedObject":{"namespace":"team-a"},"source":{"component":"psw"}}""")!);

        var selected = await Client.GetJsonAsync($"{CoreEvents}?fieldSelector=source%3Dpsw");

        Assert.Equal(["e"], selected.ItemNames);
    }

    [Fact]
    public async Task Role_RuleWithoutVerbsOrGroups_Returns422()
    {
        var response = await Client.PostJsonAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles", JsonNode.Parse("""{"metadata":{"name":"r"},"rules":[{"resources":["secrets"]}]}""")!);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["rules[0].verbs", "rules[0].apiGroups"], response.Object["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RoleBinding_RoleRefChange_Returns422()
    {
        const string Bindings = "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings";
        await Client.PostJsonAsync(Bindings, JsonNode.Parse("""{"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"r"},"subjects":[{"kind":"ServiceAccount","name":"default","namespace":"team-a"}]}""")!);

        var response = await Client.PatchJsonAsync($"{Bindings}/b", "application/merge-patch+json", """{"roleRef":{"name":"other"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("roleRef", response.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_WithAResourceVersion_IsRefusedWithoutReason()
    {
        var response = await Client.PostJsonAsync("/api/v1/namespaces/team-a/configmaps", JsonNode.Parse("""{"metadata":{"name":"c","resourceVersion":"5"}}""")!);

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Null(response.Reason);
        Assert.Equal("resourceVersion should not be set on objects to be created", response.Message);
    }

    [Fact]
    public async Task Create_WithAnUnqualifiedFinalizer_Returns422()
    {
        var response = await Client.PostJsonAsync("/api/v1/namespaces/team-a/configmaps", JsonNode.Parse("""{"metadata":{"name":"c","finalizers":["hold"]}}""")!);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("metadata.finalizers[0]", response.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_ChangingTheUid_Returns422_WhileAPutWithAnotherUid_IsAConflict()
    {
        var created = await Client.PostJsonAsync("/api/v1/namespaces/team-a/configmaps", JsonNode.Parse("""{"metadata":{"name":"c"}}""")!);
        var body = created.Object.DeepClone().AsObject();
        body["metadata"]!["uid"] = "00000000-0000-4000-8000-000000000000";

        var patched = await Client.PatchJsonAsync("/api/v1/namespaces/team-a/configmaps/c", "application/merge-patch+json", """{"metadata":{"uid":"00000000-0000-4000-8000-000000000000"}}""");
        var put = await Client.PutJsonAsync("/api/v1/namespaces/team-a/configmaps/c", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, patched.Status);
        Assert.Equal(HttpStatusCode.Conflict, put.Status);
        Assert.Contains("StorageError: invalid object, Code: 4, Key: /registry/configmaps/team-a/c", put.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NullsAndEmptyLists_ReadBackAsTheGoTypesWriteThem()
    {
        var cm = await Client.PostJsonAsync("/api/v1/namespaces/team-a/configmaps", JsonNode.Parse("""
            {"metadata":{"name":"c","labels":{"b":"2","a":null},"annotations":null},"data":{"z":"1","y":null},"binaryData":null}
            """)!);
        var sa = await Client.PostJsonAsync("/api/v1/namespaces/team-a/serviceaccounts", JsonNode.Parse("""{"metadata":{"name":"s"},"imagePullSecrets":[]}""")!);

        Assert.Equal("""{"a":"","b":"2"}""", cm.Object["metadata"]!["labels"]!.ToJsonString());
        Assert.False(cm.Object["metadata"]!.AsObject().ContainsKey("annotations"));
        Assert.Equal("""{"y":"","z":"1"}""", cm.Object["data"]!.ToJsonString());
        Assert.False(cm.Object.ContainsKey("binaryData"));
        Assert.False(sa.Object.ContainsKey("imagePullSecrets"));
    }

    [Fact]
    public async Task Pod_HasNoGeneration_AndTheDefaultTolerations()
    {
        var pod = await Client.PostJsonAsync("/api/v1/namespaces/team-a/pods", JsonNode.Parse("""{"metadata":{"name":"p"},"spec":{"containers":[{"name":"app","image":"app:1"}]}}""")!);

        Assert.Null(pod.Object["metadata"]!["generation"]);
        Assert.Equal(["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"], pod.Object["spec"]!["tolerations"]!.AsArray().Select(t => t!["key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Pod_Delete_IsMarkedThenRemoved()
    {
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/pods", JsonNode.Parse("""{"metadata":{"name":"p"},"spec":{"containers":[{"name":"app","image":"app:1"}]}}""")!);
        await using var watch = await WatchStream.OpenAsync(Client, $"/api/v1/namespaces/team-a/pods?watch=true&resourceVersion={Server.Store.ResourceVersion}");

        var deleted = await Client.DeleteJsonAsync("/api/v1/namespaces/team-a/pods/p");
        var modified = await watch.NextAsync();
        var gone = await watch.NextAsync();

        Assert.Equal(0, deleted.Object["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());
        Assert.Equal("MODIFIED", modified!["type"]!.GetValue<string>());
        Assert.NotNull(modified["object"]!["metadata"]!["deletionTimestamp"]);
        Assert.Equal("DELETED", gone!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_WithWatchTrueOnAnObjectPath_IsAPlainGet()
    {
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/configmaps", JsonNode.Parse("""{"metadata":{"name":"c"}}""")!);

        var response = await Client.GetJsonAsync("/api/v1/namespaces/team-a/configmaps/c?watch=true");

        Assert.Equal("ConfigMap", response.Object["kind"]!.GetValue<string>());
    }
}

using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Store;

public sealed class EventStorageTests : FakeServerTest
{
    private static readonly JsonObject EventsV1 = JsonNode.Parse("""
        {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"conflict.1"},
         "regarding":{"kind":"Secret","namespace":"default","name":"pullsecret-webhook"},
         "reason":"Conflict","note":"not ours","type":"Warning","action":"Reconcile",
         "eventTime":"2024-01-01T00:00:00.000000Z","reportingController":"pullsecret-webhook","reportingInstance":"pod-1"}
        """)!.AsObject();

    [Fact]
    public async Task EventsV1Event_IsListedAsCoreEvent_WithCoreFieldNames()
    {
        var created = await Client.PostJsonAsync("/apis/events.k8s.io/v1/namespaces/default/events", EventsV1);

        var core = await Client.GetJsonAsync("/api/v1/namespaces/default/events/conflict.1");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("not ours", created.Object["note"]!.GetValue<string>());
        Assert.Equal("Event", core.Object["kind"]!.GetValue<string>());
        Assert.Equal("v1", core.Object["apiVersion"]!.GetValue<string>());
        Assert.Equal("not ours", core.Object["message"]!.GetValue<string>());
        Assert.Equal("pullsecret-webhook", core.Object["involvedObject"]!["name"]!.GetValue<string>());
        Assert.Equal("pullsecret-webhook", core.Object["reportingComponent"]!.GetValue<string>());
        Assert.Equal(created.ResourceVersion, core.ResourceVersion);
    }

    [Fact]
    public async Task CoreEvent_IsWatchedThroughEventsV1_AndSelectableByInvolvedObject()
    {
        await using var watch = await WatchStream.OpenAsync(Client, $"/apis/events.k8s.io/v1/namespaces/default/events?watch=true&resourceVersion={Server.Store.ResourceVersion}");
        var core = EventConversionOf(EventsV1);

        await Client.PostJsonAsync("/api/v1/namespaces/default/events", core);
        var seen = await watch.NextAsync();
        var selected = await Client.GetJsonAsync("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dpullsecret-webhook%2CinvolvedObject.kind%3DSecret");

        Assert.Equal("events.k8s.io/v1", seen!["object"]!["apiVersion"]!.GetValue<string>());
        Assert.Equal("not ours", seen["object"]!["note"]!.GetValue<string>());
        Assert.Equal(["conflict.1"], selected.ItemNames);
    }

    private static JsonObject EventConversionOf(JsonObject eventsV1)
    {
        var core = (JsonObject)eventsV1.DeepClone();
        core["apiVersion"] = "v1";
        core["involvedObject"] = core["regarding"]!.DeepClone();
        core["message"] = core["note"]!.DeepClone();
        core["reportingComponent"] = core["reportingController"]!.DeepClone();
        core.Remove("regarding");
        core.Remove("note");
        core.Remove("reportingController");
        return core;
    }
}

using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Store;

/// <summary>
/// events.k8s.io/v1 Events are the core v1 Events seen through another schema: one storage, two
/// views, as in the real server (pkg/apis/events/v1/conversion.go). An Event written through
/// either API is listed and watched through both — <c>kubectl describe</c> shows Events a
/// controller recorded with the events.k8s.io API.
/// </summary>
internal static class EventConversion
{
    /// <summary>events.k8s.io/v1 field to core/v1 field; unlisted fields keep their name.</summary>
    private static readonly (string EventsV1, string Core)[] Renames =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    public static JsonObject ToCore(JsonObject eventsV1) => Rename(eventsV1, toCore: true);

    /// <summary>events.k8s.io/v1 fields with omitempty; the rest (eventTime, deprecatedSource and the deprecated
    /// timestamps) are always written, null or empty when unset.</summary>
    private static readonly string[] OmitEmptyInEventsV1 = ["reportingController", "reportingInstance", "action", "reason", "note", "type"];

    public static JsonObject ToEventsV1(JsonObject core)
    {
        var eventsV1 = Rename(core, toCore: false);
        foreach (var field in OmitEmptyInEventsV1)
        {
            if (eventsV1[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length == 0)
            {
                eventsV1.Remove(field);
            }
        }

        if (eventsV1["deprecatedCount"] is JsonValue count && count.TryGetValue<long>(out var n) && n == 0)
        {
            eventsV1.Remove("deprecatedCount");
        }

        return eventsV1;
    }

    private static JsonObject Rename(JsonObject source, bool toCore)
    {
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            var rename = Renames.FirstOrDefault(r => (toCore ? r.EventsV1 : r.Core) == key);
            result[rename == default ? key : toCore ? rename.Core : rename.EventsV1] = value?.DeepClone();
        }

        return result;
    }
}

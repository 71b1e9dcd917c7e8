using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Store;

/// <summary>
/// One write, kept for watch resumption and consistent pagination. <see cref="Previous"/> lets a
/// filtered watch turn a MODIFIED into ADDED/DELETED when an object starts or stops matching,
/// and lets a list be rebuilt as it was at an older resourceVersion.
/// Both objects are the store's immutable instances: read them only under the store lock.
/// </summary>
internal sealed record HistoryEntry(long ResourceVersion, ResourceType Type, string Key, string EventType, JsonObject Object, JsonObject? Previous);

using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Store;

/// <summary>
/// Where a resource is stored and how stored objects look through it. Only events.k8s.io/v1
/// Events differ: they live in the core v1 Event storage (see <see cref="EventConversion"/>).
/// </summary>
internal static class StorageMapping
{
    public static ResourceType StorageOf(ResourceType type) =>
        type == ResourceCatalog.Events ? ResourceCatalog.CoreEvents : type;

    /// <summary>An incoming object of <paramref name="type"/> in its storage schema.</summary>
    public static JsonObject ToStorage(ResourceType type, JsonObject obj) =>
        type == ResourceCatalog.Events ? EventConversion.ToCore(obj) : obj;

    /// <summary>A stored object as <paramref name="type"/> shows it: converted, with kind/apiVersion, in server order.</summary>
    public static JsonObject View(ResourceType type, JsonObject stored) =>
        ObjectShape.Canonical(type, type == ResourceCatalog.Events ? EventConversion.ToEventsV1(stored) : stored);
}

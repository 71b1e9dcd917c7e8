using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Store;

/// <summary>One page of a list: items, the list's resourceVersion and the continuation.</summary>
internal sealed record ListResult(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

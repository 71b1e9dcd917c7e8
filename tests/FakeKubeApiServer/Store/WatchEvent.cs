using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Store;

/// <summary>One line of a watch stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR; or, when <see cref="Raw"/> is
/// set, that text as it is (a fault a test injects: a line no real server would send).</summary>
internal sealed record WatchEvent(string Type, JsonObject Object, string? Raw = null);

using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Store;

/// <summary>One line of a watch stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.</summary>
internal sealed record WatchEvent(string Type, JsonObject Object);

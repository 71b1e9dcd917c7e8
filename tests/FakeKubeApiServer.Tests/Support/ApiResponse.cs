using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Tests.Support;

/// <summary>A response read whole: status, JSON body (null when not JSON), headers.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers, string? ContentType)
{
    public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"expected a JSON object, got {Body?.ToJsonString() ?? "nothing"} ({Status})");

    public string? Reason => Object["reason"]?.GetValue<string>();

    public string? Message => Object["message"]?.GetValue<string>();

    public string? ResourceVersion => Object["metadata"]?["resourceVersion"]?.GetValue<string>();

    public JsonArray Items => Object["items"] as JsonArray ?? throw new InvalidOperationException("no items");

    public IReadOnlyList<string> ItemNames => Items.Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToList();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;

namespace PullSecretWebhook.Tests.Support;

/// <summary>Applies an RFC 6902 patch with ASP.NET Core's own JSON Patch implementation
/// (Microsoft.AspNetCore.JsonPatch.SystemTextJson), independent of the production code, so that "the patch applies and
/// gives the expected Pod" is judged by a second, well-kept reading of the RFC. A patch that does not apply throws, as
/// the API server would refuse it.</summary>
internal static class JsonPatchApplier
{
    public static JsonNode Apply(JsonNode document, JsonArray patch)
    {
        var result = document.DeepClone();
        var operations = JsonSerializer.Deserialize<JsonPatchDocument>(patch.ToJsonString())
            ?? throw new InvalidOperationException("the patch is not a JSON Patch document");
        operations.ApplyTo(result);
        return result;
    }
}

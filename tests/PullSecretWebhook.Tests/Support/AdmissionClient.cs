using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PullSecretWebhook.Tests.Support;

/// <summary>Posts reviews to <c>/mutate</c> and decodes answers.</summary>
internal static class AdmissionClient
{
    public static async Task<(int Status, JsonObject Body)> PostAsync(HttpClient client, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await client.PostAsync(new Uri("/mutate", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public static Task<(int Status, JsonObject Body)> PostAsync(HttpClient client, JsonNode review) =>
        PostAsync(client, review.ToJsonString());

    /// <summary>The decoded JSON Patch of a response, or null when it has none.</summary>
    public static JsonArray? Patch(JsonObject review)
    {
        var response = review["response"]!.AsObject();
        if (!response.ContainsKey("patch"))
        {
            Assert.False(response.ContainsKey("patchType"), "patchType must only be present with a patch");
            return null;
        }

        Assert.Equal("JSONPatch", (string?)response["patchType"]);
        return JsonNode.Parse(Convert.FromBase64String((string)response["patch"]!))!.AsArray();
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Tests.Support;

/// <summary>Plain HTTP calls to the fake, as any Kubernetes client makes them.</summary>
internal static class KubeHttp
{
    public static Task<ApiResponse> GetJsonAsync(this HttpClient client, string path) => client.SendJsonAsync(HttpMethod.Get, path);

    public static Task<ApiResponse> PostJsonAsync(this HttpClient client, string path, JsonNode body) => client.SendJsonAsync(HttpMethod.Post, path, body);

    public static Task<ApiResponse> PutJsonAsync(this HttpClient client, string path, JsonNode body) => client.SendJsonAsync(HttpMethod.Put, path, body);

    public static Task<ApiResponse> DeleteJsonAsync(this HttpClient client, string path, JsonNode? body = null) => client.SendJsonAsync(HttpMethod.Delete, path, body);

    public static Task<ApiResponse> PatchJsonAsync(this HttpClient client, string path, string contentType, string patch) =>
        client.SendJsonAsync(HttpMethod.Patch, path, JsonNode.Parse(patch), contentType);

    public static async Task<ApiResponse> SendJsonAsync(this HttpClient client, HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0 && text.TrimStart()[0] is '{' or '[')
        {
            json = JsonNode.Parse(text);
        }

        return new ApiResponse(response.StatusCode, json, response.Headers, response.Content.Headers.ContentType?.ToString());
    }

    /// <summary>A Secret manifest with string data.</summary>
    public static JsonObject Secret(string name, string? type = null, Dictionary<string, string>? labels = null, Dictionary<string, string>? data = null)
    {
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = name },
        };
        if (labels is not null)
        {
            var map = new JsonObject();
            foreach (var (key, value) in labels)
            {
                map[key] = value;
            }

            secret["metadata"]!["labels"] = map;
        }

        if (type is not null)
        {
            secret["type"] = type;
        }

        if (data is not null)
        {
            var map = new JsonObject();
            foreach (var (key, value) in data)
            {
                map[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
            }

            secret["data"] = map;
        }

        return secret;
    }

    public static JsonObject Namespace(string name, Dictionary<string, string>? labels = null)
    {
        var ns = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
        if (labels is not null)
        {
            var map = new JsonObject();
            foreach (var (key, value) in labels)
            {
                map[key] = value;
            }

            ns["metadata"]!["labels"] = map;
        }

        return ns;
    }
}

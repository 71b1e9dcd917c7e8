using System.Text;
using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Yaml;

namespace FakeKubeApiServer.Http;

/// <summary>Request bodies in (JSON or YAML, as the real server accepts both) and JSON out.</summary>
internal static class JsonIo
{
    private const int MaxBodyBytes = 3 * 1024 * 1024;

    /// <summary>
    /// Go's encoder leaves quotes alone inside strings (it escapes only &lt;, &gt;, &amp;); the default
    /// .NET encoder would turn a last-applied-configuration into a wall of \u0022.
    /// </summary>
    private static readonly JsonSerializerOptions WireOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<JsonNode?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        if (text.Length > MaxBodyBytes)
        {
            throw new ApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
        }

        var mediaType = (request.ContentType ?? "application/json").Split(';')[0].Trim();
        try
        {
            if (mediaType is "application/yaml" or "application/apply-patch+yaml")
            {
                var documents = YamlJson.ParseAll(text);
                return documents.Count > 0 ? documents[0] : null;
            }

            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw Status.BadRequest($"the object provided is unrecognized (must be of type {mediaType}): couldn't get version/kind; json parse error: {e.Message}");
        }
    }

    /// <summary>An object body in any of the accepted encodings (JSON, YAML, Kubernetes protobuf); null when empty.</summary>
    public static async Task<JsonNode?> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        var mediaType = (request.ContentType ?? "application/json").Split(';')[0].Trim();
        if (mediaType is not ("application/json" or "application/yaml" or "application/vnd.kubernetes.protobuf" or "*/*" or ""))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got {mediaType})");
        }

        return mediaType == "application/vnd.kubernetes.protobuf"
            ? await ReadProtobufAsync(request, ct)
            : await ReadBodyAsync(request, ct);
    }

    private static async Task<JsonObject> ReadProtobufAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return Protobuf.KubeProtobuf.Decode(buffer.ToArray());
    }

    public static async Task WriteAsync(HttpResponse response, int status, JsonNode body, string contentType = "application/json")
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        var bytes = ToBytes(body);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes);
    }

    public static byte[] ToBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, WireOptions);

    public static Task WriteStatusAsync(HttpResponse response, ApiException error)
    {
        if (error.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteAsync(response, error.Code, error.ToStatus());
    }
}

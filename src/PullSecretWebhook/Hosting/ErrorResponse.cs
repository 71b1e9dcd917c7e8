using System.Text.Json;

namespace PullSecretWebhook.Hosting;

/// <summary>The JSON body of every 4xx this server writes itself: <c>{"code":415,"reason":"...","message":"..."}</c>,
/// shaped like the <c>code</c>/<c>reason</c>/<c>message</c> of a Kubernetes Status so the same tools read both.</summary>
internal static class ErrorResponse
{
    public static async Task WriteAsync(HttpContext context, int statusCode, string reason, string message)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code"u8, statusCode);
            writer.WriteString("reason"u8, reason);
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}

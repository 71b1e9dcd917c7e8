using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

internal sealed class StatusCause
{
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? Field { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

internal sealed class WebhookClientConfig
{
    public string? Url { get; set; }

    public ServiceReference? Service { get; set; }

    /// <summary>PEM bundle the API server trusts for the webhook, base64 on the wire.</summary>
    public byte[]? CaBundle { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

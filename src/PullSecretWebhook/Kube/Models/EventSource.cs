using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>core/v1 EventSource: which component reported an <see cref="Event"/>.</summary>
internal sealed class EventSource
{
    public string? Component { get; set; }

    public string? Host { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

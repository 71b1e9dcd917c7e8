using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>A CEL expression the API server evaluates before calling the webhook.</summary>
internal sealed class MatchCondition
{
    public string? Name { get; set; }

    public string? Expression { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

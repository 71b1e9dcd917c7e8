using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>meta/v1 Preconditions: the delete only happens if the object still has this uid/resourceVersion.</summary>
internal sealed class Preconditions
{
    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>meta/v1 DeleteOptions, sent as the body of a DELETE.</summary>
internal sealed class DeleteOptions
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "DeleteOptions";

    public Preconditions? Preconditions { get; set; }

    public string? PropagationPolicy { get; set; }

    public long? GracePeriodSeconds { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

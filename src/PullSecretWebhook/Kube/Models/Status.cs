using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>meta/v1 Status: what the API server answers on errors (and in watch ERROR events).</summary>
internal sealed class Status
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    /// <summary><c>Success</c> or <c>Failure</c>.</summary>
    [JsonPropertyName("status")]
    public string? Outcome { get; set; }

    public string? Message { get; set; }

    /// <summary>Machine-readable cause (<c>NotFound</c>, <c>Conflict</c>, <c>AlreadyExists</c>, <c>Expired</c>, ...).</summary>
    public string? Reason { get; set; }

    public StatusDetails? Details { get; set; }

    public int? Code { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>core/v1 Secret. <see cref="Data"/> values travel base64-encoded, which is how System.Text.Json writes byte arrays.</summary>
internal sealed class Secret : KubeObject
{
    public string? Type { get; set; }

    [JsonPropertyName("data")]
    public Dictionary<string, byte[]>? Data { get; set; }

    public Dictionary<string, string>? StringData { get; set; }

    public bool? Immutable { get; set; }
}

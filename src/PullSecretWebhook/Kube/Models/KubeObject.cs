using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>
/// What every top-level Kubernetes object shares. Fields we do not model land in
/// <see cref="ExtensionData"/> so an object read and written back loses nothing.
/// </summary>
internal abstract class KubeObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

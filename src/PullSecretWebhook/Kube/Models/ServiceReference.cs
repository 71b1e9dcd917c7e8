using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>admissionregistration/v1 ServiceReference: where the API server sends admission requests.</summary>
internal sealed class ServiceReference
{
    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Path { get; set; }

    public int? Port { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>version.Info: what <c>GET /version</c> answers. <c>minor</c> may carry a suffix ("20+" on managed
/// clusters) and <c>gitVersion</c> a distribution's ("v1.27.3-eks-a5565ad").</summary>
internal sealed class VersionInfo
{
    public string? Major { get; set; }

    public string? Minor { get; set; }

    public string? GitVersion { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

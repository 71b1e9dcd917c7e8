using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

internal sealed class RuleWithOperations
{
    public List<string>? Operations { get; set; }

    public List<string>? ApiGroups { get; set; }

    public List<string>? ApiVersions { get; set; }

    public List<string>? Resources { get; set; }

    public string? Scope { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

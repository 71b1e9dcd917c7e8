using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

internal sealed class MutatingWebhook
{
    public string? Name { get; set; }

    public WebhookClientConfig? ClientConfig { get; set; }

    public List<RuleWithOperations>? Rules { get; set; }

    public LabelSelector? NamespaceSelector { get; set; }

    public LabelSelector? ObjectSelector { get; set; }

    public List<MatchCondition>? MatchConditions { get; set; }

    public string? SideEffects { get; set; }

    public string? FailurePolicy { get; set; }

    public int? TimeoutSeconds { get; set; }

    public List<string>? AdmissionReviewVersions { get; set; }

    public string? MatchPolicy { get; set; }

    public string? ReinvocationPolicy { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

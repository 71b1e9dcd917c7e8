namespace PullSecretWebhook.Kube.Models;

/// <summary>meta/v1 Time: RFC 3339 in UTC with whole seconds, the way the API server writes it.</summary>
internal sealed class KubeTimeConverter() : KubeTimeFormat("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'");

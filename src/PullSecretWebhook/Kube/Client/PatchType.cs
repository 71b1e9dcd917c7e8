namespace PullSecretWebhook.Kube.Client;

internal enum PatchType
{
    /// <summary>RFC 7386 JSON merge patch, <c>application/merge-patch+json</c>.</summary>
    Merge,

    /// <summary>RFC 6902 JSON Patch, <c>application/json-patch+json</c>.</summary>
    Json,

    /// <summary>Kubernetes strategic merge patch (built-in kinds only), <c>application/strategic-merge-patch+json</c>.</summary>
    StrategicMerge,
}

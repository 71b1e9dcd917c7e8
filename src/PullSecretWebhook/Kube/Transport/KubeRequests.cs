namespace PullSecretWebhook.Kube.Transport;

/// <summary>What the handlers need to know of a request KubernetesClient built.</summary>
internal static class KubeRequests
{
    /// <summary>A watch (<c>?watch=true</c>) streams until the server's timeout: no per-call timeout, no buffering.</summary>
    public static bool IsWatch(HttpRequestMessage request) =>
        request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true;

    /// <summary>GET (get, list, watch) changes nothing, so any failure may be retried.</summary>
    public static bool IsSafe(HttpRequestMessage request) => request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;

    /// <summary>Method and path, for messages: never the body, which may be a Secret's data.</summary>
    public static string Describe(HttpRequestMessage request) => $"{request.Method} {request.RequestUri?.PathAndQuery}";
}

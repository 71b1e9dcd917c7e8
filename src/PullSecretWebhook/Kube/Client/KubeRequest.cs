namespace PullSecretWebhook.Kube.Client;

/// <summary>One API call as the transport sees it; rebuilt into a fresh HttpRequestMessage per attempt.</summary>
internal sealed record KubeRequest(HttpMethod Method, string PathAndQuery, byte[]? Body = null, string? ContentType = null, bool IsWatch = false)
{
    /// <summary>GET (get, list, watch) changes nothing, so any failure may be retried.</summary>
    public bool IsSafe => Method == HttpMethod.Get || Method == HttpMethod.Head;

    public override string ToString() => $"{Method} {PathAndQuery}";
}

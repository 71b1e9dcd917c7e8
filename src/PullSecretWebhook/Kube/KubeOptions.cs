namespace PullSecretWebhook.Kube;

/// <summary>Settings of the Kubernetes client (section <c>Kube</c>); validated at start-up by <see cref="KubeOptionsValidator"/>.</summary>
internal sealed class KubeOptions
{
    public const string SectionName = "Kube";

    /// <summary>Sustained requests per second to the API server (client-go's QPS; its default is 5, ours suits a controller of one kind).</summary>
    public double Qps { get; set; } = 20;

    /// <summary>Requests allowed in a burst above <see cref="Qps"/> (the token bucket's size).</summary>
    public int Burst { get; set; } = 30;

    /// <summary>Limit for one API request and its response body; watches are exempt, they stay open by design.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Base server-side timeout of a watch (<c>timeoutSeconds</c>): each watch asks for a random value
    /// between this and twice this, as client-go's reflector does, and then resumes from where it was.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A kubeconfig file to use instead of KUBECONFIG / ~/.kube/config / in-cluster.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>A kubeconfig context to use instead of current-context.</summary>
    public string? Context { get; set; }

    /// <summary>User-Agent header; default <c>pullsecret-webhook/&lt;version&gt;</c>.</summary>
    public string? UserAgent { get; set; }

    /// <summary>Retries of a failed request (connection errors, 429, 5xx on reads) before giving up.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>First retry delay; it doubles per attempt, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}

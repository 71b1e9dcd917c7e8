namespace PullSecretWebhook.Kube.Watching;

/// <summary>What one <see cref="Informer{T}"/> watches and how it paces itself.</summary>
internal sealed record InformerOptions
{
    /// <summary>Null: all namespaces (or a cluster-scoped kind).</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Re-notify every cached object this often, from the cache, without calling the API. Zero: never.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.Zero;

    public int PageSize { get; init; } = 500;

    /// <summary>
    /// Base server-side watch timeout; each watch asks for a random value between this and twice
    /// this, as client-go does, so many clients do not reconnect in lockstep.
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Backoff after a failed list or watch: starts here, doubles with jitter (client-go's reflector uses 800 ms to 30 s).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}

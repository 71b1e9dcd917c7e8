namespace PullSecretWebhook.Kube.Client;

/// <summary>Query of a watch call.</summary>
internal sealed record WatchOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Start after this version (normally a list's resourceVersion); null means "from now, with synthetic ADDED events".</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Ask for BOOKMARK events, so the resourceVersion to resume from stays fresh on a quiet stream.</summary>
    public bool AllowWatchBookmarks { get; init; } = true;

    /// <summary>The server closes the stream after this long (client-go picks 5-10 minutes).</summary>
    public int? TimeoutSeconds { get; init; }
}

namespace PullSecretWebhook.Kube.Watching;

/// <summary>The query of one list or watch call (the parameters every KubernetesClient list operation shares).</summary>
internal sealed record ListRequest
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>List: the snapshot to read (null: the latest). Watch: start after this version.</summary>
    public string? ResourceVersion { get; init; }

    public int? Limit { get; init; }

    public string? Continue { get; init; }

    /// <summary>Watch only: ask for BOOKMARK events, so the version to resume from stays fresh on a quiet stream.</summary>
    public bool AllowWatchBookmarks { get; init; }

    /// <summary>Watch only: the server closes the stream after this long.</summary>
    public int? TimeoutSeconds { get; init; }
}

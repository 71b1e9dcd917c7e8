namespace PullSecretWebhook.Kube.Client;

/// <summary>Query of a list call. <see cref="Limit"/> asks for one page; <see cref="Continue"/> names the next.</summary>
internal sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public int? Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }
}

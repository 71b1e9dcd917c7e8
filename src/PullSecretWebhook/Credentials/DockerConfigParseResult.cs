namespace PullSecretWebhook.Credentials;

/// <summary>A parsed payload: its entries, or the reason it is unusable (which never quotes a credential).</summary>
internal sealed class DockerConfigParseResult
{
    private DockerConfigParseResult(IReadOnlyList<RegistryEntry> entries, string? problem, bool hasAuthsKey)
    {
        Entries = entries;
        Problem = problem;
        HasAuthsKey = hasAuthsKey;
    }

    public IReadOnlyList<RegistryEntry> Entries { get; }

    /// <summary>Null when the kubelet would accept the payload.</summary>
    public string? Problem { get; }

    public bool IsValid => Problem is null;

    /// <summary>False for a <c>.dockerconfigjson</c> without an <c>auths</c> key: valid JSON the API server accepts
    /// but from which the kubelet reads nothing — usually a legacy map stored under the wrong type.</summary>
    public bool HasAuthsKey { get; }

    public static DockerConfigParseResult Valid(IReadOnlyList<RegistryEntry> entries, bool hasAuthsKey) => new(entries, null, hasAuthsKey);

    public static DockerConfigParseResult Invalid(string problem) => new([], problem, hasAuthsKey: false);
}

namespace PullSecretWebhook.Credentials;

/// <summary>The merge of the sources exported to one namespace: the <c>.dockerconfigjson</c> payload (deterministic
/// bytes, so an unchanged merge compares equal to what was written), which sources fed it, and the collisions.</summary>
internal sealed class MergedCredentials(
    byte[] payload,
    IReadOnlyList<string> sources,
    IReadOnlyList<RegistryEntry> entries,
    IReadOnlyDictionary<string, string> origins,
    IReadOnlyList<CredentialCollision> collisions,
    IReadOnlyDictionary<string, string?>? sourceUids = null)
{
    public byte[] Payload { get; } = payload;

    /// <summary>Ids (<c>namespace/name</c>) of the sources that contributed at least one entry, sorted.</summary>
    public IReadOnlyList<string> Sources { get; } = sources;

    /// <summary>The registry keys of the payload, sorted.</summary>
    public IReadOnlyList<string> Keys { get; } = [.. entries.Select(e => e.Key)];

    /// <summary>The winning entries, sorted by key: what the kubelet's keyring is built from.</summary>
    public IReadOnlyList<RegistryEntry> Entries { get; } = entries;

    /// <summary>For each key of the payload, the id (<c>namespace/name</c>) of the source it came from.</summary>
    public IReadOnlyDictionary<string, string> Origins { get; } = origins;

    public IReadOnlyList<CredentialCollision> Collisions { get; } = collisions;

    /// <summary>For each source id given to the merge, the uid of the Secret it was read from (null when unknown).</summary>
    public IReadOnlyDictionary<string, string?> SourceUids { get; } = sourceUids ?? new Dictionary<string, string?>();

    public bool IsEmpty => Keys.Count == 0;
}

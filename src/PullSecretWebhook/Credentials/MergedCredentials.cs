namespace PullSecretWebhook.Credentials;

/// <summary>The merge of the sources exported to one namespace: the <c>.dockerconfigjson</c> payload (deterministic
/// bytes, so an unchanged merge compares equal to what was written), which sources fed it, and the collisions.</summary>
internal sealed class MergedCredentials(byte[] payload, IReadOnlyList<string> sources, IReadOnlyList<string> keys, IReadOnlyList<CredentialCollision> collisions)
{
    public byte[] Payload { get; } = payload;

    /// <summary>Ids (<c>namespace/name</c>) of the sources that contributed at least one entry, sorted.</summary>
    public IReadOnlyList<string> Sources { get; } = sources;

    /// <summary>The registry keys of the payload, sorted.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;

    public IReadOnlyList<CredentialCollision> Collisions { get; } = collisions;

    public bool IsEmpty => Keys.Count == 0;
}

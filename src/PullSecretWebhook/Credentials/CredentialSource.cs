namespace PullSecretWebhook.Credentials;

/// <summary>A valid exported source Secret, reduced to what the merge needs. <see cref="Uid"/> tells one incarnation of
/// a name from the next (a Secret deleted and created again): a target records it beside each source's registry keys,
/// so that the last good entries of a source are kept only for the very Secret that gave them.</summary>
internal sealed record CredentialSource(string Namespace, string Name, IReadOnlyList<RegistryEntry> Entries, string? Uid = null)
{
    /// <summary><c>namespace/name</c>: the identity used in annotations, reports, and as the collision order.</summary>
    public string Id => $"{Namespace}/{Name}";
}

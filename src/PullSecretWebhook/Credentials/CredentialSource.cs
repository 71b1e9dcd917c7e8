namespace PullSecretWebhook.Credentials;

/// <summary>A valid exported source Secret, reduced to what the merge needs.</summary>
internal sealed record CredentialSource(string Namespace, string Name, IReadOnlyList<RegistryEntry> Entries)
{
    /// <summary><c>namespace/name</c>: the identity used in annotations, reports, and as the collision order.</summary>
    public string Id => $"{Namespace}/{Name}";
}

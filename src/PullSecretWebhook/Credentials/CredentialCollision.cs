namespace PullSecretWebhook.Credentials;

/// <summary>Two sources hold the same registry key; <see cref="Winner"/> (first by <c>namespace/name</c>) is used.</summary>
internal sealed record CredentialCollision(string Key, string Winner, string Loser);

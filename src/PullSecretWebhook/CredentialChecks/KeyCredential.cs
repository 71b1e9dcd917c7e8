namespace PullSecretWebhook.CredentialChecks;

/// <summary>One registry key of an exported source, with what is checked for it, or why nothing can be.</summary>
internal sealed record KeyCredential(string Key, CheckTarget? Target, string? Problem);

namespace PullSecretWebhook.Reconciliation.Status;

/// <summary>What this replica last did for a namespace: when it was last left in sync, and the last error if the
/// latest attempt failed.</summary>
internal sealed record NamespaceStatus(DateTimeOffset? LastSync, string? LastError);

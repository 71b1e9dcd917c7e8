namespace PullSecretWebhook.Reconciliation;

/// <summary>One namespace in <c>/status</c>.</summary>
internal sealed record NamespaceReport(
    string Namespace,
    string State,
    TargetState Target,
    DesiredReason Reason,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Registries,
    DateTimeOffset? LastSync,
    string? LastError);

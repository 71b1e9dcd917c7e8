using PullSecretWebhook.Reconciliation.Desired;
namespace PullSecretWebhook.Reconciliation.Status;

/// <summary>One namespace in <c>/status</c>.</summary>
internal sealed record NamespaceReport(
    string Namespace,
    string State,
    TargetState Target,
    DesiredReason Reason,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Registries,
    DateTimeOffset? LastSync,
    string? LastError)
{
    /// <summary>Invalid sources whose last good entries this namespace keeps.</summary>
    public IReadOnlyList<string> KeptLastGood { get; init; } = [];
}

using PullSecretWebhook.Credentials;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Reconciliation.Desired;

/// <summary>What one Secret carrying the export label contributes: a usable source with its scope, or the problem
/// that keeps it out (never quoting credential values).</summary>
internal sealed record SourceAnalysis(string Namespace, string Name, string? Uid, CredentialSource? Source, ExportScope? Scope, string? Problem)
{
    public string Id => $"{Namespace}/{Name}";

    public bool IsUsable => Source is not null && Scope is not null;

    /// <summary>True when <c>Sources:Secrets</c> names it (exported with or without the label).</summary>
    public bool Named { get; init; }

    /// <summary>False for a Secret exported from a namespace that is not a source: it never contributes, not even
    /// a last good.</summary>
    public bool InSourceNamespace { get; init; } = true;

    /// <summary>For an unusable source, the last usable analysis of the same Secret (same uid) this process saw:
    /// its entries and scope stay in the targets until the source is valid again, deleted or unexported (README,
    /// "When a source turns invalid"). Null when usable, or when this process never saw it valid (after a restart
    /// the targets themselves still hold it: <see cref="TargetOrigins"/>).</summary>
    public SourceAnalysis? LastGood { get; init; }

    /// <summary>Whether this is a source that turned invalid and may keep a last good contribution.</summary>
    public bool MayHoldLastGood => !IsUsable && InSourceNamespace && Uid is not null;
}

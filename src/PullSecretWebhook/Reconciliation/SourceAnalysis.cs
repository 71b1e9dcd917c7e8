using PullSecretWebhook.Credentials;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Reconciliation;

/// <summary>What one Secret carrying the export label contributes: a usable source with its scope, or the problem
/// that keeps it out (never quoting credential values).</summary>
internal sealed record SourceAnalysis(string Namespace, string Name, string? Uid, CredentialSource? Source, ExportScope? Scope, string? Problem)
{
    public string Id => $"{Namespace}/{Name}";

    public bool IsUsable => Source is not null && Scope is not null;
}

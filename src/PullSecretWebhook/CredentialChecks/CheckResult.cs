namespace PullSecretWebhook.CredentialChecks;

/// <summary>The outcome of one check. <see cref="Reason"/> and <see cref="ErrorCode"/> are built from status codes,
/// the registry's error code and host names only, never from a credential or a token.</summary>
internal sealed record CheckResult(CredentialVerdict Verdict, string Reason, string? ErrorCode, DateTimeOffset? CheckedAt, DateTimeOffset? ExpiresAt, int Requests)
{
    public static CheckResult Unchecked(string reason) => new(CredentialVerdict.Unchecked, reason, null, null, null, 0);

    /// <summary>The metric label of the verdict.</summary>
    public string Label => LabelOf(Verdict);

    public static string LabelOf(CredentialVerdict verdict) => verdict switch
    {
        CredentialVerdict.Valid => "valid",
        CredentialVerdict.Rejected => "rejected",
        CredentialVerdict.Unreachable => "unreachable",
        CredentialVerdict.ProbeFailed => "probe_failed",
        _ => "unchecked",
    };
}

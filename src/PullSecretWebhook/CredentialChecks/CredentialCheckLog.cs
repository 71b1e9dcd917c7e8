namespace PullSecretWebhook.CredentialChecks;

/// <summary>Source-generated log messages of the credential checks: keys, usernames, verdicts and reasons; never a
/// password, token or auth value (reasons are built from status codes and host names).</summary>
internal static partial class CredentialCheckLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Credential checks on: {Credentials} distinct credentials, every {Interval}, {Concurrency} at a time")]
    public static partial void Started(ILogger logger, int credentials, TimeSpan interval, int concurrency);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Credential {Credential}: {Verdict} ({Reason})")]
    public static partial void VerdictChanged(ILogger logger, string credential, CredentialVerdict verdict, string reason);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Debug, Message = "Credential {Credential}: still {Verdict} after {Requests} requests")]
    public static partial void VerdictSame(ILogger logger, string credential, CredentialVerdict verdict, int requests);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Credential {Credential} expires at {ExpiresAt}")]
    public static partial void Expiring(ILogger logger, string credential, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Error, Message = "Check of credential {Credential} failed unexpectedly; it is retried at the next interval")]
    public static partial void CheckCrashed(ILogger logger, Exception exception, string credential);
}

namespace PullSecretWebhook.EndpointAccess;

/// <summary>Logs of endpoint access. Never a token, a token's hash, nor what a review answered (README, "Who may read
/// /status and /metrics").</summary>
internal static partial class AccessLog
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "/status and /metrics answer only callers the cluster allows (TokenReview and SubjectAccessReview, answers reused for {CacheDuration})")]
    public static partial void Kubernetes(ILogger logger, TimeSpan cacheDuration);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "Observability:Authorization is None while running in the cluster: anyone who reaches the port reads /status (namespace names, sources, registry hosts) and /metrics")]
    public static partial void OpenInCluster(ILogger logger);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "/status and /metrics are open to every caller ({Reason})")]
    public static partial void Open(ILogger logger, string reason);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Warning, Message = "{Review} for {Path} failed, answering 503: {ErrorType}: {Error}")]
    public static partial void ReviewFailed(ILogger logger, string review, string path, string errorType, string error);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Debug, Message = "{Path} refused: {Decision}")]
    public static partial void Refused(ILogger logger, string path, AccessDecision decision);
}

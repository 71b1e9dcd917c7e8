namespace PullSecretWebhook.Admission;

/// <summary>Source-generated log messages of the admission path. Nothing here ever carries object content.</summary>
internal static partial class AdmissionLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Admission answered: {Outcome}, {PatchOperations} patch operation(s), dryRun={DryRun}")]
    public static partial void Answered(ILogger logger, AdmissionOutcome outcome, int patchOperations, bool dryRun);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Admission object is malformed ({Outcome}); allowed without a patch")]
    public static partial void Malformed(ILogger logger, AdmissionOutcome outcome);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Admission logic failed; the Pod is allowed without a patch (fail open)")]
    public static partial void LogicFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Admission request rejected with {StatusCode}: {Problem}")]
    public static partial void TransportError(ILogger logger, int statusCode, string problem);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Injected a reference to {SecretName}, which is not present in namespace {Namespace} yet")]
    public static partial void TargetMissing(ILogger logger, string secretName, string? @namespace);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Injection mode {Mode}")]
    public static partial void ModeInEffect(ILogger logger, InjectionMode mode);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Injection:Mode is MatchingRegistries, but there is no cluster connection ({Reason}), so the exported credentials are unknown: every Pod is injected (Always)")]
    public static partial void InjectionModeFallback(ILogger logger, string reason);
}

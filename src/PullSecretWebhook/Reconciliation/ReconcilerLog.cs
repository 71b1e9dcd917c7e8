using PullSecretWebhook.Reconciliation.Desired;
namespace PullSecretWebhook.Reconciliation;

/// <summary>Source-generated log messages of the reconciler. Names and states only; never Secret data.</summary>
internal static partial class ReconcilerLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Target {Action} in namespace {Namespace} from sources {Sources}")]
    public static partial void Wrote(ILogger logger, string action, string @namespace, string sources);

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "Namespace {Namespace} is {State}; nothing to do")]
    public static partial void InSync(ILogger logger, string @namespace, TargetState state);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Secret {Namespace}/{Name} is not managed by pullsecret-webhook; leaving it alone (label it or annotate it pullsecret-webhook.io/adopt=true to hand it over)")]
    public static partial void Conflict(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Reconcile of {Work} failed ({Failures} in a row); retrying in {Delay}")]
    public static partial void Failed(ILogger logger, Exception exception, string work, int failures, TimeSpan delay);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "Source {Source} is skipped: {Problem}")]
    public static partial void SourceSkipped(ILogger logger, string source, string problem);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "Registry {Registry} is in sources {Winner} and {Loser}; {Winner} is used")]
    public static partial void Collision(ILogger logger, string registry, string winner, string loser);

    [LoggerMessage(EventId = 406, Level = LogLevel.Debug, Message = "Event {Reason} posted on Secret {Namespace}/{Name}")]
    public static partial void EventPosted(ILogger logger, string reason, string @namespace, string name);

    [LoggerMessage(EventId = 407, Level = LogLevel.Warning, Message = "Could not post event {Reason} on Secret {Namespace}/{Name}: {Problem}")]
    public static partial void EventFailed(ILogger logger, string reason, string @namespace, string name, string problem);

    [LoggerMessage(EventId = 408, Level = LogLevel.Information, Message = "Caches synced: {Namespaces} namespaces, {Sources} exported secrets, {Targets} targets")]
    public static partial void Synced(ILogger logger, int namespaces, int sources, int targets);

    [LoggerMessage(EventId = 409, Level = LogLevel.Information, Message = "Leading: reconciling every namespace with {Workers} workers")]
    public static partial void Leading(ILogger logger, int workers);

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Not leading: serving the webhook from warm caches; writes are the leader's")]
    public static partial void Following(ILogger logger);

    [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "Reconciler disabled: {Reason}")]
    public static partial void Disabled(ILogger logger, string reason);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Pod} runs without the pull secret reference although its images match exported credentials; recreate it")]
    public static partial void SlippedPod(ILogger logger, string @namespace, string pod);

    [LoggerMessage(EventId = 413, Level = LogLevel.Information, Message = "Slipped-Pod scan done: {Count} Pod(s) without the reference")]
    public static partial void ScanCompleted(ILogger logger, int count);

    [LoggerMessage(EventId = 414, Level = LogLevel.Warning, Message = "Slipped-Pod scan failed; next attempt at the next interval")]
    public static partial void ScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 415, Level = LogLevel.Warning, Message = "Source {Source} is invalid ({Problem}); its last good entries are kept in {Namespaces} namespace(s) until it is valid again, deleted or unexported")]
    public static partial void SourceHeld(ILogger logger, string source, string problem, int namespaces);

    [LoggerMessage(EventId = 416, Level = LogLevel.Information, Message = "Placeholder {Namespace}/{Name} {Status}")]
    public static partial void PlaceholderFilled(ILogger logger, string @namespace, string name, string status);

    [LoggerMessage(EventId = 417, Level = LogLevel.Debug, Message = "{Work} reconciled; looking again in {Delay}")]
    public static partial void Requeued(ILogger logger, string work, TimeSpan delay);
}

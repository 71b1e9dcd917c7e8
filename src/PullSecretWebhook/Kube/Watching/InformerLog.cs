namespace PullSecretWebhook.Kube.Watching;

internal static partial class InformerLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Listed {Count} {Kind} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string kind, int count, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} informer synced with {Count} objects")]
    public static partial void Synced(ILogger logger, string kind, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} watch closed by the server; resuming from resourceVersion {ResourceVersion}")]
    public static partial void WatchClosed(ILogger logger, string kind, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} watch broke at resourceVersion {ResourceVersion} ({Reason}); relisting")]
    public static partial void Relisting(ILogger logger, string kind, string? resourceVersion, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} watch stayed open past its timeout at resourceVersion {ResourceVersion}; reconnecting")]
    public static partial void WatchOverdue(ILogger logger, string kind, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} watch ended within a second without an event; retrying in {Delay}")]
    public static partial void WatchTooShort(ILogger logger, string kind, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} list/watch failed; retrying in {Delay}")]
    public static partial void WatchFailed(ILogger logger, Exception exception, string kind, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} handler failed on {EventType} of {Key}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string kind, InformerEventType eventType, string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} resync: re-notified {Count} cached objects")]
    public static partial void Resynced(ILogger logger, string kind, int count);
}

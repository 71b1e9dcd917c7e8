namespace PullSecretWebhook.Kube.Watching;

/// <summary>Watch event types. ERROR is not here: it surfaces as an exception (410 as <see cref="Client.WatchExpiredException"/>).</summary>
internal enum WatchEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>Only the object's resourceVersion is meaningful: where to resume from.</summary>
    Bookmark,
}

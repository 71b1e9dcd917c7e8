namespace PullSecretWebhook.Reconciliation.Desired;

/// <summary>How the target Secret of a namespace compares with what it should be. One value drives the action, the
/// log line, the metric and <c>/status</c>.</summary>
internal enum TargetState
{
    /// <summary>Present, ours, and equal to the merge: nothing to do.</summary>
    UpToDate,

    /// <summary>Nothing is wanted and nothing of ours is there: nothing to do.</summary>
    NotWanted,

    /// <summary>Wanted but absent: create it.</summary>
    Missing,

    /// <summary>Ours but different (edited, or the sources changed): update it in place.</summary>
    Differs,

    /// <summary>Ours but of another type, which the API server does not let an update change: replace it.</summary>
    WrongType,

    /// <summary>Someone else's Secret with the target name: never touched; reported as a conflict.</summary>
    NotOurs,

    /// <summary>Someone else's Secret annotated <c>pullsecret-webhook.io/adopt: "true"</c>: taken over in place.</summary>
    Adoptable,

    /// <summary>Ours but no longer wanted (namespace deselected or opted out, or no sources left): delete it.</summary>
    Unwanted,
}

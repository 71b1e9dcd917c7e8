namespace PullSecretWebhook.Kube.Leader;

/// <summary>What a <see cref="LeaderElector"/> calls as leadership comes and goes.</summary>
internal sealed class LeaderCallbacks
{
    /// <summary>
    /// Runs while this process leads. Its token is cancelled the moment leadership is lost or the
    /// elector stops; the lease is only released after this task has finished, so two leaders never overlap.
    /// </summary>
    public required Func<CancellationToken, Task> OnStartedLeading { get; init; }

    public Action? OnStoppedLeading { get; init; }

    /// <summary>Another identity was seen holding the lease.</summary>
    public Action<string>? OnNewLeader { get; init; }
}

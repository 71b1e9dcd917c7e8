namespace PullSecretWebhook.Reconciliation.WorkLoop;

/// <summary>One kind of work with its queue and workers (<see cref="Controller{TWork}"/>), seen without its type by
/// the <see cref="ReconciliationHost"/>: it subscribes to changes on every replica, and works only while leading.</summary>
internal interface IController : ILeaderWork
{
    /// <summary>Items waiting (not counting those in progress or delayed).</summary>
    int Depth { get; }

    /// <summary>Subscribes the queue to the cache changes that make work; called once, before the caches start.</summary>
    void Watch();
}

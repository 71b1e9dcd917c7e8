namespace PullSecretWebhook.Reconciliation.WorkLoop;

/// <summary>Work that runs only while this replica holds the Lease, beside the reconciler's workers: started when
/// leadership starts, its token cancelled when it ends. Lets a capability be leader-only without the
/// <see cref="ReconciliationHost"/> knowing it; every <see cref="IController"/> is one.</summary>
internal interface ILeaderWork
{
    Task RunWhileLeadingAsync(CancellationToken leadership);
}

namespace PullSecretWebhook.Reconciliation.WorkLoop;

/// <summary>Brings one item of one kind of work to its desired state. Level-triggered: it reads what is wanted and
/// what is there, and must be safe to run again at any time. Throws on failure (the loop retries with backoff).</summary>
internal interface IReconciler<in TWork>
    where TWork : notnull
{
    Task<ReconcileResult> ReconcileAsync(TWork work, CancellationToken cancellationToken);
}

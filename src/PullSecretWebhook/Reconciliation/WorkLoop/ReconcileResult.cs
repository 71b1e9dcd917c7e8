namespace PullSecretWebhook.Reconciliation.WorkLoop;

/// <summary>What a reconciler asks of the loop after one item, as controller-runtime's <c>Result</c>: done (the item's
/// failure count is forgotten), or done for now and to be looked at again after a delay. A failure is an exception:
/// the loop requeues the item with backoff (README, "How the reconciler works").</summary>
internal readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult After(TimeSpan delay) => new(delay);
}

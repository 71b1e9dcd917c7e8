using PullSecretWebhook.Reconciliation.Desired;

namespace PullSecretWebhook.Reconciliation.Targets;

/// <summary>A reconciler beside the target's that acts per namespace on the same desired target (the ServiceAccount
/// fallback, placeholder filling): it runs after the target is written, in registration order, and its failure is
/// the namespace's (retried with backoff). A new feature is a new registration, not a change to
/// <see cref="NamespaceReconciler"/>.</summary>
internal interface INamespaceFeature
{
    /// <summary>Subscribes to the feature's own cache changes that call for its namespace to be reconciled.</summary>
    void Watch(Action<NamespaceWork> enqueue);

    Task ReconcileAsync(string ns, DesiredTarget desired, CancellationToken cancellationToken);
}

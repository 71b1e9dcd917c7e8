namespace PullSecretWebhook.Reconciliation.Caches;

/// <summary>A feature's own watch beside <see cref="ClusterCaches"/> (ServiceAccounts, placeholder candidates): run on
/// every replica and waited for before leading, like the cluster caches. A feature that is off watches nothing and
/// is synced at once.</summary>
internal interface IFeatureCache
{
    Task RunAsync(CancellationToken cancellationToken);

    Task WaitForSyncAsync(CancellationToken cancellationToken);
}

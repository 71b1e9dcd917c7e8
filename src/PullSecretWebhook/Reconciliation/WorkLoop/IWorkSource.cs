namespace PullSecretWebhook.Reconciliation.WorkLoop;

/// <summary>Where one kind of work comes from: the cache changes that add an item, and every item there is, added when
/// leadership starts and every resync period.</summary>
internal interface IWorkSource<TWork>
    where TWork : notnull
{
    /// <summary>Subscribes to the cache changes that make work; called once, before the caches start.</summary>
    void Watch(Action<TWork> enqueue);

    /// <summary>Every item, from the caches only (no API call).</summary>
    IEnumerable<TWork> All();
}

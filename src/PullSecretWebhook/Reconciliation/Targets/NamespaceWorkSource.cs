using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.WorkLoop;

namespace PullSecretWebhook.Reconciliation.Targets;

/// <summary>What makes a namespace's work: the namespace or its target changed, any exported Secret changed, or one of
/// the features' own caches changed.</summary>
internal sealed class NamespaceWorkSource(ClusterCaches caches, IEnumerable<INamespaceFeature> features) : IWorkSource<NamespaceWork>
{
    public void Watch(Action<NamespaceWork> enqueue)
    {
        caches.Namespaces.AddHandler((change, _) => NamespaceWork.AddTo(enqueue, change.Object.Metadata.Name));
        caches.Targets.AddHandler((change, _) => NamespaceWork.AddTo(enqueue, change.Object.Metadata.NamespaceProperty));

        // A source may enter or leave any namespace's merge (its scope may have changed too): check them all.
        // Namespaces in sync cost nothing beyond the comparison.
        caches.AddSourceHandler((_, _) =>
        {
            foreach (var work in All())
            {
                enqueue(work);
            }

            return Task.CompletedTask;
        });
        foreach (var feature in features)
        {
            feature.Watch(enqueue);
        }
    }

    public IEnumerable<NamespaceWork> All() =>
        caches.Namespaces.List()
            .Select(ns => ns.Metadata.Name)
            .Where(name => !string.IsNullOrEmpty(name))
            .Select(name => new NamespaceWork(name!));
}

using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube.Client;
using PullSecretWebhook.Kube.Models;

namespace PullSecretWebhook.Kube.Watching;

/// <summary>Creates informers wired to the shared client, clock and logging.</summary>
internal sealed class KubeInformerFactory(KubeClient client, TimeProvider timeProvider, ILoggerFactory loggerFactory, IOptions<KubeOptions> kube)
{
    public Informer<T> Create<T>(KubeResource<T> resource, InformerOptions? options = null)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(resource);
        // Every informer's watches take their server-side timeout from Kube:WatchTimeout.
        return new Informer<T>(client, resource, (options ?? new InformerOptions()) with { WatchTimeout = kube.Value.WatchTimeout }, timeProvider, loggerFactory.CreateLogger($"PullSecretWebhook.Kube.Informer.{resource.Kind}"));
    }
}

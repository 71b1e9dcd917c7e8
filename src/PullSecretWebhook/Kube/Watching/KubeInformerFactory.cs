using Microsoft.Extensions.Options;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Kube.Watching;

/// <summary>Creates informers wired to the shared client, clock and logging.</summary>
internal sealed class KubeInformerFactory(IKubernetes api, TimeProvider timeProvider, ILoggerFactory loggerFactory, IOptions<KubeOptions> kube)
{
    public Informer<T> Create<T>(KubeKind<T> kind, InformerOptions? options = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(kind);
        // Every informer's watches take their server-side timeout from Kube:WatchTimeout.
        return new Informer<T>(api, kind, (options ?? new InformerOptions()) with { WatchTimeout = kube.Value.WatchTimeout }, timeProvider, loggerFactory.CreateLogger($"PullSecretWebhook.Kube.Informer.{kind.Name}"));
    }
}

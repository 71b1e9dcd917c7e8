using k8s;
using k8s.Models;

namespace PullSecretWebhook.Kube.Watching;

/// <summary>
/// A change the informer saw. <see cref="IsResync"/> marks the periodic re-notification of an
/// unchanged cached object (then <see cref="OldObject"/> is the same object).
/// </summary>
internal sealed record InformerEvent<T>(InformerEventType Type, T Object, T? OldObject = null, bool IsResync = false)
    where T : class, IKubernetesObject<V1ObjectMeta>;

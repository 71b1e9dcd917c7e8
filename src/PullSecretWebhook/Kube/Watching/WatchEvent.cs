using PullSecretWebhook.Kube.Models;

namespace PullSecretWebhook.Kube.Watching;

internal sealed record WatchEvent<T>(WatchEventType Type, T Object)
    where T : KubeObject;

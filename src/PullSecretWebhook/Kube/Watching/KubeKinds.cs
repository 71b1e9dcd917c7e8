using k8s;
using k8s.Models;

namespace PullSecretWebhook.Kube.Watching;

/// <summary>The kinds the product lists and watches, each bound to its KubernetesClient list and watch operations.</summary>
internal static class KubeKinds
{
    public static KubeKind<V1Namespace> Namespaces { get; } = KubeKind.Of<V1Namespace, V1NamespaceList>(
        "Namespace",
        (api, ns, r, ct) => ns is null ? api.CoreV1.ListNamespaceWithHttpMessagesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, resourceVersion: r.ResourceVersion, cancellationToken: ct) : throw ClusterScoped(ns),
        (api, ns, r, onError, ct) => ns is null ? api.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: r.AllowWatchBookmarks ? true : null, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct) : throw ClusterScoped(ns));

    public static KubeKind<V1Secret> Secrets { get; } = KubeKind.Of<V1Secret, V1SecretList>(
        "Secret",
        (api, ns, r, ct) => ns is null
            ? api.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, resourceVersion: r.ResourceVersion, cancellationToken: ct)
            : api.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, resourceVersion: r.ResourceVersion, cancellationToken: ct),
        (api, ns, r, onError, ct) => ns is null
            ? api.CoreV1.WatchListSecretForAllNamespacesAsync(allowWatchBookmarks: r.AllowWatchBookmarks ? true : null, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
            : api.CoreV1.WatchListNamespacedSecretAsync(ns, allowWatchBookmarks: r.AllowWatchBookmarks ? true : null, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    public static KubeKind<V1ServiceAccount> ServiceAccounts { get; } = KubeKind.Of<V1ServiceAccount, V1ServiceAccountList>(
        "ServiceAccount",
        (api, ns, r, ct) => ns is null
            ? api.CoreV1.ListServiceAccountForAllNamespacesWithHttpMessagesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, resourceVersion: r.ResourceVersion, cancellationToken: ct)
            : api.CoreV1.ListNamespacedServiceAccountWithHttpMessagesAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, resourceVersion: r.ResourceVersion, cancellationToken: ct),
        (api, ns, r, onError, ct) => ns is null
            ? api.CoreV1.WatchListServiceAccountForAllNamespacesAsync(allowWatchBookmarks: r.AllowWatchBookmarks ? true : null, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
            : api.CoreV1.WatchListNamespacedServiceAccountAsync(ns, allowWatchBookmarks: r.AllowWatchBookmarks ? true : null, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    public static KubeKind<V1Pod> Pods { get; } = KubeKind.Of<V1Pod, V1PodList>(
        "Pod",
        (api, ns, r, ct) => ns is null
            ? api.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, resourceVersion: r.ResourceVersion, cancellationToken: ct)
            : api.CoreV1.ListNamespacedPodWithHttpMessagesAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, resourceVersion: r.ResourceVersion, cancellationToken: ct),
        (api, ns, r, onError, ct) => ns is null
            ? api.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: r.AllowWatchBookmarks ? true : null, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
            : api.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: r.AllowWatchBookmarks ? true : null, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    public static KubeKind<Corev1Event> Events { get; } = KubeKind.Of<Corev1Event, Corev1EventList>(
        "Event",
        (api, ns, r, ct) => ns is null
            ? api.CoreV1.ListEventForAllNamespacesWithHttpMessagesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, resourceVersion: r.ResourceVersion, cancellationToken: ct)
            : api.CoreV1.ListNamespacedEventWithHttpMessagesAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, resourceVersion: r.ResourceVersion, cancellationToken: ct),
        (api, ns, r, onError, ct) => ns is null
            ? api.CoreV1.WatchListEventForAllNamespacesAsync(allowWatchBookmarks: r.AllowWatchBookmarks ? true : null, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
            : api.CoreV1.WatchListNamespacedEventAsync(ns, allowWatchBookmarks: r.AllowWatchBookmarks ? true : null, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    private static ArgumentException ClusterScoped(string ns) => new($"Namespace is cluster-scoped; no namespace may be given (got '{ns}')", nameof(ns));
}

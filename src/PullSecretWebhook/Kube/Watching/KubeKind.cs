using k8s;
using k8s.Autorest;
using k8s.Models;

namespace PullSecretWebhook.Kube.Watching;

/// <summary>
/// One kind's list operation in KubernetesClient, namespaced (<paramref name="ns"/> set) or across all namespaces: the
/// package generates one method per kind and scope, with no generic list or watch over them, so each kind the product
/// watches names its operations once (<see cref="KubeKinds"/>) and the informer and pager stay generic.
/// </summary>
internal delegate Task<HttpOperationResponse<TList>> ListOperation<TList>(IKubernetes api, string? ns, ListRequest request, CancellationToken cancellationToken);

/// <summary>The same kind's watch operation (the package's <c>WatchList…Async</c>).</summary>
internal delegate IAsyncEnumerable<(WatchEventType, T)> WatchOperation<T>(IKubernetes api, string? ns, ListRequest request, Action<Exception> onError, CancellationToken cancellationToken);

/// <summary>A page of a list: its items and the list's metadata (resourceVersion, continue token).</summary>
internal sealed record ListPage<T>(IList<T> Items, V1ListMeta? Metadata);

internal sealed class KubeKind<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Func<IKubernetes, string?, ListRequest, CancellationToken, Task<ListPage<T>>> _list;
    private readonly Func<IKubernetes, string?, ListRequest, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> _watch;

    public KubeKind(
        string name,
        Func<IKubernetes, string?, ListRequest, CancellationToken, Task<ListPage<T>>> list,
        Func<IKubernetes, string?, ListRequest, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch)
    {
        Name = name;
        _list = list;
        _watch = watch;
    }

    /// <summary>The kind's name, for logs and the informer's logger category.</summary>
    public string Name { get; }

    public Task<ListPage<T>> ListAsync(IKubernetes api, string? ns, ListRequest request, CancellationToken cancellationToken) =>
        _list(api, ns, request, cancellationToken);

    /// <summary>KubernetesClient's watch stream. <paramref name="onError"/> receives what the package does not throw:
    /// an ERROR event (410 Gone among them; the stream then ends) and a line it could not parse (then dropped).</summary>
    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(IKubernetes api, string? ns, ListRequest request, Action<Exception> onError, CancellationToken cancellationToken) =>
        _watch(api, ns, request, onError, cancellationToken);
}

internal static class KubeKind
{
    public static KubeKind<T> Of<T, TList>(string name, ListOperation<TList> list, WatchOperation<T> watch)
        where T : class, IKubernetesObject<V1ObjectMeta>
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        return new KubeKind<T>(
            name,
            async (api, ns, request, cancellationToken) =>
            {
                using var response = await list(api, ns, request, cancellationToken);
                return new ListPage<T>(response.Body.Items ?? [], response.Body.Metadata);
            },
            (api, ns, request, onError, cancellationToken) => watch(api, ns, request, onError, cancellationToken));
    }
}

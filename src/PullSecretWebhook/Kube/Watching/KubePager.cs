using k8s;
using k8s.Models;

namespace PullSecretWebhook.Kube.Watching;

/// <summary>Lists a kind in pages, as client-go's pager does (KubernetesClient has no pager).</summary>
internal static class KubePager
{
    /// <summary>
    /// Every item, fetched <paramref name="pageSize"/> at a time. All pages come from one snapshot, so the result's
    /// resourceVersion is the first page's. If the continue token expires mid-way (410), it falls back to one
    /// unpaginated list.
    /// </summary>
    public static async Task<ListPage<T>> ListAllAsync<T>(IKubernetes api, KubeKind<T> kind, string? ns, ListRequest request, int pageSize, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        request = request with { Limit = pageSize, Continue = null };
        var first = await kind.ListAsync(api, ns, request, cancellationToken);
        var items = new List<T>(first.Items);
        var next = first.Metadata?.ContinueProperty;
        while (!string.IsNullOrEmpty(next))
        {
            ListPage<T> page;
            try
            {
                page = await kind.ListAsync(api, ns, request with { Continue = next }, cancellationToken);
            }
            catch (KubeApiException ex) when (ex.IsGone)
            {
                return await kind.ListAsync(api, ns, request with { Limit = null }, cancellationToken);
            }

            items.AddRange(page.Items);
            next = page.Metadata?.ContinueProperty;
        }

        return new ListPage<T>(items, new V1ListMeta { ResourceVersion = first.Metadata?.ResourceVersion });
    }
}

using System.Net;
using System.Text.Json;
using System.Threading.RateLimiting;
using PullSecretWebhook.Kube.Config;
using PullSecretWebhook.Kube.Models;

namespace PullSecretWebhook.Kube.Client;

/// <summary>
/// The verbs of the Kubernetes REST API, generic over a <see cref="KubeResource{T}"/>. Errors are
/// <see cref="KubeApiException"/>; a missing object on get is null, not an error.
/// Reads: this file; writes: KubeClient.Write.cs; watch: KubeClient.Watch.cs.
/// </summary>
internal sealed partial class KubeClient : IDisposable
{
    private readonly KubeTransport _transport;

    public KubeClient(KubeClusterConfig config, KubeOptions options, TimeProvider timeProvider, ILogger<KubeClient> logger)
    {
        _transport = new KubeTransport(config, options, timeProvider, logger);
    }

    public KubeClusterConfig Config => _transport.Config;

    public RateLimiterStatistics? RateLimiterStatistics => _transport.RateLimiterStatistics;

    public async Task<T?> GetAsync<T>(KubeResource<T> resource, string name, string? ns = null, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(resource);
        var request = new KubeRequest(HttpMethod.Get, resource.ObjectPath(name, ns));
        using var response = await _transport.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var error = await ErrorAsync(response, request, cancellationToken);
            if (error.IsNotFound)
            {
                return null;
            }

            throw error;
        }

        return await ReadAsync(response, request, resource.TypeInfo, cancellationToken);
    }

    /// <summary><c>GET /version</c>: the server's build. Every authenticated user may read it (the default
    /// system:public-info-viewer and system:discovery bindings), so it needs no RBAC of its own.</summary>
    public async Task<VersionInfo> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        var request = new KubeRequest(HttpMethod.Get, "/version");
        using var response = await _transport.SendAsync(request, cancellationToken);
        return await ReadAsync(response, request, KubeJsonContext.Default.VersionInfo, cancellationToken);
    }

    /// <summary>One page (or all, without a limit). The list's resourceVersion is where a watch starts.</summary>
    public async Task<KubeList<T>> ListAsync<T>(KubeResource<T> resource, string? ns = null, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(resource);
        options ??= new ListOptions();
        var query = new KubeQuery()
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("limit", options.Limit)
            .Add("continue", options.Continue)
            .Add("resourceVersion", options.ResourceVersion);
        var request = new KubeRequest(HttpMethod.Get, resource.CollectionPath(ns) + query);
        using var response = await _transport.SendAsync(request, cancellationToken);
        return await ReadAsync(response, request, resource.ListTypeInfo, cancellationToken);
    }

    /// <summary>
    /// Every item, fetched <paramref name="pageSize"/> at a time. All pages come from one snapshot,
    /// so the result's resourceVersion is the first page's. If the continue token expires mid-way
    /// (410), it falls back to one unpaginated list, as client-go's pager does.
    /// </summary>
    public async Task<KubeList<T>> ListAllAsync<T>(KubeResource<T> resource, string? ns = null, ListOptions? options = null, int pageSize = 500, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        options = (options ?? new ListOptions()) with { Limit = pageSize, Continue = null };
        var first = await ListAsync(resource, ns, options, cancellationToken);
        var all = first;
        var next = first.Metadata.Continue;
        while (!string.IsNullOrEmpty(next))
        {
            KubeList<T> page;
            try
            {
                page = await ListAsync(resource, ns, options with { Continue = next }, cancellationToken);
            }
            catch (KubeApiException ex) when (ex.IsGone)
            {
                return await ListAsync(resource, ns, options with { Limit = null }, cancellationToken);
            }

            all.Items.AddRange(page.Items);
            next = page.Metadata.Continue;
        }

        all.Metadata.Continue = null;
        all.Metadata.RemainingItemCount = null;
        return all;
    }

    public void Dispose() => _transport.Dispose();

    private static async Task<TResult> ReadAsync<TResult>(
        HttpResponseMessage response, KubeRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResult> typeInfo, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, request, cancellationToken);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await JsonSerializer.DeserializeAsync(body, typeInfo, cancellationToken)
                ?? throw new KubeApiException($"{request}: the API server answered with an empty body");
        }
        catch (JsonException ex)
        {
            throw new KubeApiException($"{request}: the API server's answer is not the expected JSON ({ex.Message})", ex);
        }
    }

    /// <summary>The error as an exception, carrying the Status body when the server sent one.</summary>
    private static async Task<KubeApiException> ErrorAsync(HttpResponseMessage response, KubeRequest request, CancellationToken cancellationToken)
    {
        Status? status = null;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            status = JsonSerializer.Deserialize(text, KubeJsonContext.Default.Status);
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's HTML page, say): keep a short excerpt as the message.
            status = new Status { Message = text.Length > 200 ? text[..200] : text };
        }

        return response.StatusCode == HttpStatusCode.Gone && request.IsWatch
            ? new WatchExpiredException(status, request.ToString())
            : new KubeApiException(response.StatusCode, status, request.ToString());
    }
}

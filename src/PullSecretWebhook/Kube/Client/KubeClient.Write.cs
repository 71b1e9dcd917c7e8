using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PullSecretWebhook.Kube.Models;

namespace PullSecretWebhook.Kube.Client;

internal sealed partial class KubeClient
{
    /// <summary>Creates the object in its metadata.namespace; 409 AlreadyExists if the name is taken.</summary>
    public async Task<T> CreateAsync<T>(KubeResource<T> resource, T obj, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        StampType(resource, obj);
        var request = new KubeRequest(HttpMethod.Post, resource.CollectionPath(obj.Metadata.Namespace), JsonSerializer.SerializeToUtf8Bytes(obj, resource.TypeInfo));
        using var response = await _transport.SendAsync(request, cancellationToken);
        return await ReadAsync(response, request, resource.TypeInfo, cancellationToken);
    }

    /// <summary>
    /// PUT: replaces the whole object. Its metadata.resourceVersion makes this optimistic: if the
    /// object changed since it was read, the server answers 409 Conflict (<see cref="KubeApiException.IsConflict"/>).
    /// </summary>
    public async Task<T> ReplaceAsync<T>(KubeResource<T> resource, T obj, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        StampType(resource, obj);
        var path = resource.ObjectPath(obj.Metadata.Name ?? string.Empty, obj.Metadata.Namespace);
        var request = new KubeRequest(HttpMethod.Put, path, JsonSerializer.SerializeToUtf8Bytes(obj, resource.TypeInfo));
        using var response = await _transport.SendAsync(request, cancellationToken);
        return await ReadAsync(response, request, resource.TypeInfo, cancellationToken);
    }

    public async Task<T> PatchAsync<T>(KubeResource<T> resource, string name, string? ns, PatchType type, JsonNode patch, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(patch);
        var contentType = type switch
        {
            PatchType.Merge => "application/merge-patch+json",
            PatchType.Json => "application/json-patch+json",
            PatchType.StrategicMerge => "application/strategic-merge-patch+json",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown patch type"),
        };
        var request = new KubeRequest(HttpMethod.Patch, resource.ObjectPath(name, ns), Encoding.UTF8.GetBytes(patch.ToJsonString()), contentType);
        using var response = await _transport.SendAsync(request, cancellationToken);
        return await ReadAsync(response, request, resource.TypeInfo, cancellationToken);
    }

    /// <summary>
    /// Deletes the object; false when it was already gone. With <paramref name="preconditions"/> the
    /// delete only happens if uid/resourceVersion still match (else 409 Conflict).
    /// </summary>
    public async Task<bool> DeleteAsync<T>(KubeResource<T> resource, string name, string? ns = null, Preconditions? preconditions = null, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(resource);
        var body = preconditions is null
            ? null
            : JsonSerializer.SerializeToUtf8Bytes(new DeleteOptions { Preconditions = preconditions }, KubeJsonContext.Default.DeleteOptions);
        var request = new KubeRequest(HttpMethod.Delete, resource.ObjectPath(name, ns), body);
        using var response = await _transport.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        var error = await ErrorAsync(response, request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound && error.IsNotFound)
        {
            return false;
        }

        throw error;
    }

    private static void StampType<T>(KubeResource<T> resource, T obj)
        where T : KubeObject
    {
        obj.ApiVersion ??= resource.ApiVersion;
        obj.Kind ??= resource.Kind;
    }
}

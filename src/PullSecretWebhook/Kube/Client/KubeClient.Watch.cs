using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using PullSecretWebhook.Kube.Models;
using PullSecretWebhook.Kube.Watching;

namespace PullSecretWebhook.Kube.Client;

internal sealed partial class KubeClient
{
    /// <summary>
    /// Streams changes, one JSON event per line, read as they arrive. Ends when the server closes the
    /// stream (its timeout); an expired resourceVersion throws <see cref="WatchExpiredException"/>,
    /// any other ERROR event a <see cref="KubeApiException"/>. No per-call timeout applies.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        KubeResource<T> resource,
        string? ns = null,
        WatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(resource);
        options ??= new WatchOptions();
        var query = new KubeQuery()
            .Add("watch", "true")
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("resourceVersion", options.ResourceVersion)
            .Add("allowWatchBookmarks", options.AllowWatchBookmarks ? "true" : null)
            .Add("timeoutSeconds", options.TimeoutSeconds);
        var request = new KubeRequest(HttpMethod.Get, resource.CollectionPath(ns) + query, IsWatch: true);
        using var response = await _transport.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, request, cancellationToken);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (Parse(line, resource, request) is { } watchEvent)
            {
                yield return watchEvent;
            }
        }
    }

    private static WatchEvent<T>? Parse<T>(string line, KubeResource<T> resource, KubeRequest request)
        where T : KubeObject
    {
        try
        {
            var raw = JsonSerializer.Deserialize(line, KubeJsonContext.Default.RawWatchEvent)
                ?? throw new KubeApiException($"{request}: empty watch event");
            WatchEventType? type = raw.Type switch
            {
                "ADDED" => WatchEventType.Added,
                "MODIFIED" => WatchEventType.Modified,
                "DELETED" => WatchEventType.Deleted,
                "BOOKMARK" => WatchEventType.Bookmark,
                "ERROR" => throw WatchError(raw.Object.Deserialize(KubeJsonContext.Default.Status), request),

                // Event types added in later API versions are skipped, not fatal.
                _ => null,
            };
            if (type is null)
            {
                return null;
            }

            var obj = raw.Object.Deserialize(resource.TypeInfo) ?? throw new KubeApiException($"{request}: {raw.Type} event without an object");
            return new WatchEvent<T>(type.Value, obj);
        }
        catch (JsonException ex)
        {
            throw new KubeApiException($"{request}: a watch event is not the expected JSON ({ex.Message})", ex);
        }
    }

    private static KubeApiException WatchError(Status? status, KubeRequest request)
    {
        var code = (HttpStatusCode)(status?.Code ?? (int)HttpStatusCode.InternalServerError);
        return code == HttpStatusCode.Gone || status?.Reason is "Expired" or "Gone"
            ? new WatchExpiredException(status, request.ToString())
            : new KubeApiException(code, status, request.ToString());
    }
}

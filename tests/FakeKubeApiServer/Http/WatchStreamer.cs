using System.Globalization;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Http;

/// <summary>
/// Writes a watch stream: HTTP 200, <c>application/json</c>, one <c>{"type","object"}</c> per line,
/// flushed per event (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes).
/// Ends on timeoutSeconds, on client disconnect, or when the fake closes its watches.
/// </summary>
internal sealed class WatchStreamer(ObjectStore store, TimeSpan bookmarkInterval)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task StreamAsync(HttpContext context, WatchSubscription subscription, bool bookmarks, Func<JsonObject, JsonObject> present)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (int.TryParse(context.Request.Query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        await response.StartAsync(context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        var bookmarker = bookmarks ? SendBookmarksAsync(subscription, timeout.Token) : Task.CompletedTask;
        try
        {
            await foreach (var change in subscription.Events.ReadAllAsync(timeout.Token))
            {
                if (change.Raw is { } raw)
                {
                    await response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(raw + "\n"), timeout.Token);
                    await response.Body.FlushAsync(timeout.Token);
                    continue;
                }

                var line = new JsonObject
                {
                    ["type"] = change.Type,
                    ["object"] = change.Type is "BOOKMARK" or "ERROR" ? change.Object : present(change.Object),
                };
                await WriteLineAsync(response, line, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // timeoutSeconds elapsed or the client went away: the stream just ends.
        }
        finally
        {
            store.Unsubscribe(subscription);
            await timeout.CancelAsync();
            await bookmarker;
        }
    }

    /// <summary>
    /// A watch from a resourceVersion that left the history gets HTTP 200 and a single ERROR
    /// event holding a 410 Expired Status, as the real server does once the watch has started.
    /// </summary>
    public static async Task ExpiredAsync(HttpContext context, ApiException expired)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var line = new JsonObject { ["type"] = "ERROR", ["object"] = expired.ToStatus() };
        await WriteLineAsync(context.Response, line, context.RequestAborted);
    }

    private static async Task WriteLineAsync(HttpResponse response, JsonObject line, CancellationToken ct)
    {
        await response.Body.WriteAsync(JsonIo.ToBytes(line), ct);
        await response.Body.WriteAsync(NewLine, ct);
        await response.Body.FlushAsync(ct);
    }

    private async Task SendBookmarksAsync(WatchSubscription subscription, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(bookmarkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                store.Bookmark(subscription);
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended.
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>An open watch: events are read as they arrive, until a condition holds, the server ends the stream, or a
/// deadline passes (then the events so far are the answer; the record shows what was missing).</summary>
internal sealed class WatchStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly CancellationTokenSource _abort = new();
    private readonly List<JsonObject> _events = [];
    private Task<string?>? _pendingLine;

    private WatchStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode Status => _response.StatusCode;

    /// <summary>Every event read so far, each <c>{"type", "object"}</c>.</summary>
    public IReadOnlyList<JsonObject> Events => _events;

    /// <summary>True once the server closed the stream (timeoutSeconds, an ERROR event, ...).</summary>
    public bool Ended { get; private set; }

    public static async Task<WatchStream> OpenAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        return new WatchStream(response, reader);
    }

    /// <summary>Reads until <paramref name="enough"/> holds for the events so far, the stream ends, or
    /// <paramref name="deadline"/> passes.</summary>
    public async Task<IReadOnlyList<JsonObject>> ReadAsync(Func<IReadOnlyList<JsonObject>, bool> enough, TimeSpan deadline)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!Ended && !enough(_events))
        {
            var left = deadline - stopwatch.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            // A line read that outlives the deadline stays pending for the next call rather than being lost.
            _pendingLine ??= _reader.ReadLineAsync(_abort.Token).AsTask();
            var finished = await Task.WhenAny(_pendingLine, Task.Delay(left));
            if (finished != _pendingLine)
            {
                break;
            }

            string? line;
            try
            {
                line = await _pendingLine;
            }
            catch (IOException)
            {
                line = null;
            }
            catch (HttpRequestException)
            {
                line = null;
            }

            _pendingLine = null;
            if (line is null)
            {
                Ended = true;
            }
            else if (line.Length > 0)
            {
                _events.Add(JsonNode.Parse(line)!.AsObject());
            }
        }

        return _events;
    }

    /// <summary>Reads until the server ends the stream (or the deadline passes).</summary>
    public Task<IReadOnlyList<JsonObject>> ReadToEndAsync(TimeSpan deadline) => ReadAsync(_ => false, deadline);

    public async ValueTask DisposeAsync()
    {
        await _abort.CancelAsync();
        if (_pendingLine is not null)
        {
            try
            {
                await _pendingLine;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
                // The read was abandoned with the stream.
            }
        }

        _reader.Dispose();
        _response.Dispose();
        _abort.Dispose();
    }
}

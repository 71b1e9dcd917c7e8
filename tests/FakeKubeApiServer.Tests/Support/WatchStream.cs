using System.Net;
using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Tests.Support;

/// <summary>An open watch: reads one event per line, each read bounded by a deadline.</summary>
internal sealed class WatchStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode Status => _response.StatusCode;

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    public static async Task<WatchStream> OpenAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        return new WatchStream(response, new StreamReader(stream));
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<JsonObject?> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        string? line;
        do
        {
            line = await _reader.ReadLineAsync(deadline.Token);
        }
        while (line is { Length: 0 });

        return line is null ? null : (JsonObject)JsonNode.Parse(line)!;
    }

    /// <summary>Reads until an event satisfies <paramref name="predicate"/>; fails at the deadline.</summary>
    public async Task<JsonObject> NextMatchingAsync(Func<JsonObject, bool> predicate, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = await _reader.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("the watch ended before the expected event");
            if (line.Length > 0 && JsonNode.Parse(line) is JsonObject change && predicate(change))
            {
                return change;
            }
        }
    }

    /// <summary>Reads events until the server closes the stream; fails at the deadline.</summary>
    public async Task<List<JsonObject>> ReadToEndAsync(TimeSpan? timeout = null)
    {
        var events = new List<JsonObject>();
        while (await NextAsync(timeout) is { } change)
        {
            events.Add(change);
        }

        return events;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}

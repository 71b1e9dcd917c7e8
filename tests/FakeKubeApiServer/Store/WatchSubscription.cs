using System.Text.Json.Nodes;
using System.Threading.Channels;
using FakeKubeApiServer.Selectors;

namespace FakeKubeApiServer.Store;

/// <summary>
/// One open watch: its filter and the queue of events to write. The store offers every write
/// under its lock, so events are queued in resourceVersion order and bookmarks never overtake them.
/// </summary>
internal sealed class WatchSubscription
{
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>(
        new UnboundedChannelOptions { SingleReader = true });

    public WatchSubscription(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields)
    {
        Type = type;
        Namespace = ns;
        Labels = labels;
        Fields = fields;
    }

    public ResourceType Type { get; }

    public string? Namespace { get; }

    public LabelSelector Labels { get; }

    public FieldSelector Fields { get; }

    public ChannelReader<WatchEvent> Events => _events.Reader;

    public bool Matches(JsonObject obj) =>
        (Namespace is null || ObjectShape.Namespace(obj) == Namespace) && Labels.Matches(obj) && Fields.Matches(obj);

    /// <summary>
    /// Translates a write into what this watcher sees, as the watch cache does
    /// (cacheWatcher.convertToWatchEvent): an object that starts matching is ADDED, one that
    /// stops matching is DELETED (its previous state at the new resourceVersion).
    /// </summary>
    public void Offer(HistoryEntry entry)
    {
        if (entry.Type != StorageMapping.StorageOf(Type))
        {
            return;
        }

        var matchesNow = entry.EventType != "DELETED" && Matches(entry.Object);
        var matchedBefore = entry.Previous is not null && Matches(entry.Previous);
        switch (matchesNow, matchedBefore)
        {
            case (true, false):
                Enqueue("ADDED", entry.Object);
                break;
            case (true, true):
                Enqueue("MODIFIED", entry.Object);
                break;
            case (false, true) when entry.EventType == "DELETED":
                Enqueue("DELETED", entry.Object);
                break;
            case (false, true):
                var gone = (JsonObject)entry.Previous!.DeepClone();
                ObjectShape.Metadata(gone)["resourceVersion"] = ObjectShape.ResourceVersion(entry.Object);
                Enqueue("DELETED", gone);
                break;
            default:
                break;
        }
    }

    /// <summary>Queues an event; stored objects are shown as this watch's resource shows them.</summary>
    public void Enqueue(string type, JsonObject obj) =>
        _events.Writer.TryWrite(new WatchEvent(type, type == "BOOKMARK" ? obj : StorageMapping.View(Type, obj)));

    /// <summary>Queues <paramref name="line"/> to be written as it is.</summary>
    public void EnqueueRaw(string line) => _events.Writer.TryWrite(new WatchEvent("RAW", [], line));

    /// <summary>Ends the stream after the queued events: the client sees a clean close.</summary>
    public void Close() => _events.Writer.TryComplete();
}

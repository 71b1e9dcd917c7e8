using System.Globalization;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;
using FakeKubeApiServer.Selectors;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer;

/// <summary>Lists (with consistent pagination) and watches (with history replay and bookmarks).</summary>
public sealed partial class ObjectStore
{
    /// <param name="exactly">resourceVersionMatch=Exact: the list as it was at that version (from the history).</param>
    internal ListResult ListObjects(ResourceType view, string? ns, LabelSelector labels, FieldSelector fields, int? limit, string? continueToken, long? exactly = null)
    {
        var type = StorageMapping.StorageOf(view);
        lock (_gate)
        {
            var token = string.IsNullOrEmpty(continueToken) ? null : ContinueToken.Decode(continueToken);
            long? snapshot = token is { IsInconsistent: false } ? token.ResourceVersion : exactly;
            if (token is { IsInconsistent: false } && token.ResourceVersion < _historyFloor)
            {
                // etcd compacted the revision the pages were read at. The answer carries a token to go
                // on from the current state, for a client that accepts an inconsistent list.
                throw new ApiException(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                {
                    ContinueToken = new ContinueToken(ContinueToken.Inconsistent, token.StartAfter).Encode(),
                };
            }

            if (snapshot < _historyFloor)
            {
                throw Status.Expired("The resourceVersion for the provided list is too old.");
            }

            var listRv = snapshot ?? _resourceVersion;
            var state = snapshot is null ? _objects[type] : StateAt(type, snapshot.Value);
            var matching = state
                .Where(p => token is null || string.CompareOrdinal(p.Key, token.StartAfter) > 0)
                .Where(p => ns is null || ObjectShape.Namespace(p.Value) == ns)
                .Where(p => labels.Matches(p.Value) && fields.Matches(p.Value))
                .ToList();
            var page = limit is > 0 ? matching.Take(limit.Value).ToList() : matching;
            string? next = null;
            long? remaining = null;
            if (page.Count < matching.Count)
            {
                next = new ContinueToken(listRv, page[^1].Key).Encode();

                // Only known without selectors: the real server counts keys, not matches.
                remaining = labels.IsEmpty && fields.IsEmpty ? matching.Count - page.Count : null;
            }

            return new ListResult(page.Select(p => StorageMapping.View(view, p.Value)).ToList(), listRv, next, remaining);
        }
    }

    /// <summary>
    /// Opens a watch. resourceVersion "" or "0" starts with a synthetic ADDED per current object;
    /// a number replays the history after it, or fails with 410 Expired once that is gone.
    /// <paramref name="sendInitialEvents"/> (the WatchList protocol) adds the initial-events-end bookmark.
    /// </summary>
    internal WatchSubscription Watch(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, string? resourceVersion, bool sendInitialEvents)
    {
        var subscription = new WatchSubscription(type, ns, labels, fields);
        lock (_gate)
        {
            if (sendInitialEvents || string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var obj in _objects[StorageMapping.StorageOf(type)].Values.Where(subscription.Matches))
                {
                    subscription.Enqueue("ADDED", obj);
                }

                if (sendInitialEvents)
                {
                    subscription.Enqueue("BOOKMARK", BookmarkObject(type, initialEventsEnd: true));
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw Status.BadRequest($"invalid resource version: {resourceVersion}");
                }

                if (from < _historyFloor)
                {
                    // The watch cache's wording; clients relist on the Expired reason / 410 code.
                    throw Status.Expired($"too old resource version: {from} ({_historyFloor + 1})");
                }

                foreach (var entry in _history.Where(e => e.ResourceVersion > from))
                {
                    subscription.Offer(entry);
                }
            }

            if (_watchesToEndAtOnce > 0)
            {
                // A fault: the stream ends right after its headers, with no event.
                _watchesToEndAtOnce--;
                subscription.Close();
            }
            else
            {
                _watchers.Add(subscription);
            }
        }

        return subscription;
    }

    internal void EndNextWatchesAtOnce(int count)
    {
        lock (_gate)
        {
            _watchesToEndAtOnce += count;
        }
    }

    internal void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _watchers.Remove(subscription);
        }
    }

    /// <summary>Queues a BOOKMARK at the latest resourceVersion behind everything already queued.</summary>
    internal void Bookmark(WatchSubscription subscription)
    {
        lock (_gate)
        {
            subscription.Enqueue("BOOKMARK", BookmarkObject(subscription.Type, initialEventsEnd: false));
        }
    }

    internal void SendToAllWatches(string line)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.EnqueueRaw(line);
            }
        }
    }

    internal void CloseAllWatches()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Close();
            }

            _watchers.Clear();
        }
    }

    internal void ForgetHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _historyFloor = _resourceVersion;
        }
    }

    /// <summary>
    /// The objects of a type as they were at <paramref name="resourceVersion"/>: the current state
    /// with the newer writes undone from history (the caller checked the history reaches back).
    /// </summary>
    private SortedDictionary<string, JsonObject> StateAt(ResourceType type, long resourceVersion)
    {
        var state = new SortedDictionary<string, JsonObject>(_objects[type], StringComparer.Ordinal);
        for (var node = _history.Last; node is not null && node.Value.ResourceVersion > resourceVersion; node = node.Previous)
        {
            var entry = node.Value;
            if (entry.Type != type)
            {
                continue;
            }

            if (entry.Previous is null)
            {
                state.Remove(entry.Key);
            }
            else
            {
                state[entry.Key] = entry.Previous;
            }
        }

        return state;
    }

    /// <summary>
    /// A BOOKMARK carries only kind, apiVersion and metadata.resourceVersion — and
    /// <c>creationTimestamp: null</c>, which Go writes for the empty ObjectMeta time.
    /// </summary>
    private JsonObject BookmarkObject(ResourceType type, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = Status.Format(_resourceVersion), ["creationTimestamp"] = null };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata };
    }
}

using System.Collections.Concurrent;

namespace PullSecretWebhook.Reconciliation.Status;

/// <summary>What this replica's namespace reconciles reported (README, "/status"): per namespace when it was last left
/// in sync and the last error; the latest success of any.</summary>
internal sealed class NamespaceRecords(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, NamespaceStatus> _records = new(StringComparer.Ordinal);

    /// <summary>The latest time any namespace was left in sync.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    public NamespaceStatus? Of(string namespaceName) => _records.GetValueOrDefault(namespaceName);

    public void RecordSynced(string namespaceName)
    {
        var now = time.GetUtcNow();
        LastSuccess = now;
        _records[namespaceName] = new NamespaceStatus(now, null);
    }

    /// <summary>Keeps the last sync, sets the error.</summary>
    public void RecordFailed(string namespaceName, string error) =>
        _records[namespaceName] = new NamespaceStatus(Of(namespaceName)?.LastSync, error);

    public void RecordGone(string namespaceName) => _records.TryRemove(namespaceName, out _);
}

namespace FakeKubeApiServer;

/// <summary>
/// Every API request the fake answered (the /_fake/ admin calls excluded), so tests can prove
/// "no writes to this Secret" or count list calls. Thread-safe.
/// </summary>
public sealed class RequestLog
{
    private static readonly string[] WriteVerbs = ["create", "update", "patch", "delete", "deletecollection"];

    private readonly Lock _gate = new();
    private readonly List<RequestLogEntry> _entries = [];

    /// <summary>The write requests (create, update, patch, delete, deletecollection) so far.</summary>
    public IReadOnlyList<RequestLogEntry> Writes => Snapshot().Where(e => WriteVerbs.Contains(e.Verb)).ToList();

    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    /// <summary>Requests matching every filter given (null = any).</summary>
    public int Count(string? verb = null, string? resource = null, string? ns = null, string? name = null) =>
        Snapshot().Count(e =>
            (verb is null || e.Verb == verb)
            && (resource is null || e.Resource == resource)
            && (ns is null || e.Namespace == ns)
            && (name is null || e.Name == name));

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    internal void Add(RequestLogEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }
}

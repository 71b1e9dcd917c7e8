namespace FakeKubeApiServer;

/// <summary>One request the fake answered.</summary>
/// <param name="Verb">The Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection (HTTP method for non-resource paths).</param>
/// <param name="Resource">Plural resource ("secrets", "leases"); empty for discovery and other non-resource paths.</param>
/// <param name="User">Authenticated user name; empty when authentication failed.</param>
/// <param name="Status">HTTP status code of the response.</param>
public sealed record RequestLogEntry(
    DateTimeOffset Time,
    string Verb,
    string Resource,
    string? Namespace,
    string? Name,
    string User,
    int Status,
    string? UserAgent);

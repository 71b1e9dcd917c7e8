namespace FakeKubeApiServer.Faults;

/// <summary>Delay added to every matching request until the faults are cleared.</summary>
internal sealed record LatencyRule(TimeSpan Latency, string? Verb, string? PathContains)
{
    public bool Matches(string verb, string pathAndQuery) =>
        (Verb is null || string.Equals(Verb, verb, StringComparison.OrdinalIgnoreCase))
        && (PathContains is null || pathAndQuery.Contains(PathContains, StringComparison.Ordinal));
}

namespace FakeKubeApiServer.Faults;

/// <summary>A pending failure: the next <see cref="Remaining"/> matching requests get <see cref="Status"/>.</summary>
internal sealed class FaultRule(int remaining, string? verb, string pathContains, int status, TimeSpan? retryAfter)
{
    public int Remaining { get; set; } = remaining;

    public string? Verb { get; } = verb;

    public string PathContains { get; } = pathContains;

    public int Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool Matches(string verb, string pathAndQuery) =>
        (Verb is null || string.Equals(Verb, verb, StringComparison.OrdinalIgnoreCase))
        && pathAndQuery.Contains(PathContains, StringComparison.Ordinal);
}

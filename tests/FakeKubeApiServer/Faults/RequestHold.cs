namespace FakeKubeApiServer.Faults;

/// <summary>The next request matching a verb and a path substring, held after authentication and before it is served
/// until the test releases it: the test acts in between (changes the object a write was read from) to make a race
/// happen on demand. Released, too, when the faults are cleared.</summary>
public sealed class RequestHold
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal RequestHold(string? verb, string pathContains)
    {
        Verb = verb;
        PathContains = pathContains;
    }

    /// <summary>Completes when the held request has arrived.</summary>
    public Task Arrived => _arrived.Task;

    internal string? Verb { get; }

    internal string PathContains { get; }

    /// <summary>A request has been matched to this hold (under the injector's lock).</summary>
    internal bool Taken { get; private set; }

    /// <summary>Lets the held request through, to be served against the store as it is now.</summary>
    public void Release() => _released.TrySetResult();

    internal bool Matches(string verb, string pathAndQuery) =>
        (Verb is null || string.Equals(Verb, verb, StringComparison.OrdinalIgnoreCase))
        && pathAndQuery.Contains(PathContains, StringComparison.Ordinal);

    internal void Take() => Taken = true;

    internal Task HoldAsync(CancellationToken cancellationToken)
    {
        _arrived.TrySetResult();
        return _released.Task.WaitAsync(cancellationToken);
    }
}

namespace PullSecretWebhook.Kube.Watching;

/// <summary>Doubling delays with up to 100 % jitter, capped; <see cref="Reset"/> after a success.</summary>
internal sealed class ExponentialBackoff(TimeSpan initial, TimeSpan max)
{
    private TimeSpan _next;

    public TimeSpan Next()
    {
        var current = _next == TimeSpan.Zero ? initial : _next;
        _next = current * 2 > max ? max : current * 2;

        // Jitter spreads reconnecting clients so a restarted API server is not hit all at once.
        var jittered = current * (1 + Random.Shared.NextDouble());
        return jittered > max ? max : jittered;
    }

    public void Reset() => _next = TimeSpan.Zero;
}

using Microsoft.Extensions.Time.Testing;

namespace PullSecretWebhook.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells when the code under test has created a timer. FakeTimeProvider
/// keeps its timers private and has no query for them, by design: tests are meant to observe effects. A test that
/// must advance the clock exactly to a deadline still needs to know the deadline's timer exists first, or the advance
/// happens before the timer and the timer then waits for a later one that never comes.
/// </summary>
/// <remarks>Only timers created through <see cref="CreateTimer"/> with a due time are seen (Task.Delay,
/// <c>new CancellationTokenSource(delay, time)</c>), not a later <see cref="ITimer.Change"/> of an existing one.</remarks>
internal sealed class TimerAwareTimeProvider : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _created = [];
    private readonly List<(TimeSpan DueTime, TaskCompletionSource Created)> _waiting = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        List<TaskCompletionSource> woken;
        lock (_lock)
        {
            _created.Add(dueTime);
            woken = [.. _waiting.Where(w => w.DueTime == dueTime).Select(w => w.Created)];
            _waiting.RemoveAll(w => w.DueTime == dueTime);
        }

        foreach (var created in woken)
        {
            created.TrySetResult();
        }

        return timer;
    }

    /// <summary>Completes once a timer due <paramref name="dueTime"/> after its creation has been created (at once if
    /// one already was).</summary>
    public Task TimerCreatedAsync(TimeSpan dueTime)
    {
        lock (_lock)
        {
            if (_created.Contains(dueTime))
            {
                return Task.CompletedTask;
            }

            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((dueTime, created));
            return created.Task;
        }
    }
}

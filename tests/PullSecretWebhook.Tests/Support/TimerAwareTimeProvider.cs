using Microsoft.Extensions.Time.Testing;

namespace PullSecretWebhook.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells which timers the code under test has armed. FakeTimeProvider
/// keeps its timers (its waiters) private and has no query for them, by design: tests are meant to observe effects.
/// A test that must advance the clock exactly to a deadline still needs to know the deadline's timer exists first, or
/// the advance happens before the timer and the timer then waits for a later one that never comes; and a test that
/// steps a loop one sleep at a time needs to know when the loop is asleep.
/// </summary>
/// <remarks>Every timer is wrapped: the wrapper records when it is due (at creation, on
/// <see cref="ITimer.Change"/>, and when it fires and has a period), and forgets it once it has fired without a
/// period, is disposed or is changed to <see cref="Timeout.InfiniteTimeSpan"/>, exactly when FakeTimeProvider drops
/// its waiter. A pending timer is held (as FakeTimeProvider's waiter is), so it is not collected while it can
/// fire.</remarks>
internal sealed class TimerAwareTimeProvider : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _created = [];
    private readonly List<(TimeSpan DueTime, TaskCompletionSource Created)> _waiting = [];
    private readonly Dictionary<TrackedTimer, DateTimeOffset> _pending = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Tracked before FakeTimeProvider arms it: a timer due at once fires inside base.CreateTimer.
        var timer = new TrackedTimer(this);
        timer.Track(dueTime, period);
        timer.Inner = base.CreateTimer(
            s =>
            {
                timer.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);

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
    /// one already was). Only the due time given to <see cref="CreateTimer"/> counts, not a later
    /// <see cref="ITimer.Change"/>.</summary>
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

    /// <summary>Time left until each armed timer fires (created or changed, and not yet fired, disposed or changed to
    /// infinite; a periodic timer stays, due at its next period), in no particular order.</summary>
    public IReadOnlyList<TimeSpan> PendingTimers()
    {
        var now = GetUtcNow();
        lock (_lock)
        {
            return [.. _pending.Values.Select(due => due - now)];
        }
    }

    private sealed class TrackedTimer(TimerAwareTimeProvider owner) : ITimer
    {
        private TimeSpan _period;

        public ITimer? Inner { get; set; }

        /// <summary>Records the schedule FakeTimeProvider gives the timer: due <paramref name="dueTime"/> from now,
        /// then every <paramref name="period"/> if that is positive, never if the due time is infinite.</summary>
        public void Track(TimeSpan dueTime, TimeSpan period)
        {
            var now = owner.GetUtcNow();
            lock (owner._lock)
            {
                _period = period > TimeSpan.Zero ? period : TimeSpan.Zero;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    owner._pending.Remove(this);
                }
                else
                {
                    owner._pending[this] = now + dueTime;
                }
            }
        }

        /// <summary>Called as the timer fires, before its callback (which may change it): a periodic timer is next due
        /// one period later, as FakeTimeProvider reschedules it; any other is done.</summary>
        public void Fired()
        {
            lock (owner._lock)
            {
                if (owner._pending.TryGetValue(this, out var due))
                {
                    if (_period > TimeSpan.Zero)
                    {
                        owner._pending[this] = due + _period;
                    }
                    else
                    {
                        owner._pending.Remove(this);
                    }
                }
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Tracked first, as in CreateTimer; a disposed timer is not changed and is no longer tracked.
            Track(dueTime, period);
            if (Inner!.Change(dueTime, period))
            {
                return true;
            }

            lock (owner._lock)
            {
                owner._pending.Remove(this);
            }

            return false;
        }

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._pending.Remove(this);
            }

            Inner?.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            lock (owner._lock)
            {
                owner._pending.Remove(this);
            }

            if (Inner is not null)
            {
                await Inner.DisposeAsync();
            }
        }
    }
}

using Microsoft.Extensions.Time.Testing;
using PullSecretWebhook.Reconciliation.WorkLoop;

namespace PullSecretWebhook.Tests.Reconciliation.WorkLoop;

public sealed class WorkQueueTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly WorkQueue<string> _queue;

    public WorkQueueTests() => _queue = new WorkQueue<string>(_time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    public void Dispose() => _queue.Dispose();

    [Fact]
    public async Task Add_SameKeyTwice_IsQueuedOnce()
    {
        _queue.Add("a");
        _queue.Add("a");
        _queue.Add("b");

        Assert.Equal(2, _queue.Depth);
        Assert.Equal("a", await _queue.TakeAsync(CancellationToken.None));
        Assert.Equal("b", await _queue.TakeAsync(CancellationToken.None));
        Assert.Equal(0, _queue.Depth);
    }

    [Fact]
    public async Task Add_WhileProcessing_IsProcessedAgainAfterDone_NeverConcurrently()
    {
        _queue.Add("a");
        var key = await _queue.TakeAsync(CancellationToken.None);

        _queue.Add("a");
        Assert.Equal(0, _queue.Depth); // not handed to a second worker while the first has it

        _queue.Done(key);
        Assert.Equal(1, _queue.Depth);
        Assert.Equal("a", await _queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AddRateLimited_BacksOffExponentiallyUpToTheCap_AndForgetResets()
    {
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            delays.Add(_queue.AddRateLimited("a"));
            _time.Advance(delays[^1]);
            _queue.Done(await _queue.TakeAsync(CancellationToken.None));
        }

        Assert.Equal([1, 2, 4, 8, 10, 10], delays.Select(d => d.TotalSeconds));
        _queue.Forget("a");
        Assert.Equal(TimeSpan.FromSeconds(1), _queue.AddRateLimited("a"));
    }

    [Fact]
    public void AddAfter_IsNotVisibleBeforeTheDelay()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, _queue.Depth);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _queue.Depth);
    }

    [Fact]
    public async Task TakeAsync_WaitsForAKey_AndHonoursCancellation()
    {
        using var cancel = new CancellationTokenSource();
        var waiting = _queue.TakeAsync(cancel.Token);
        Assert.False(waiting.IsCompleted);

        _queue.Add("x");
        Assert.Equal("x", await waiting);

        var second = _queue.TakeAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }
}

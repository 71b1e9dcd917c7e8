using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using PullSecretWebhook.Reconciliation;
using PullSecretWebhook.Reconciliation.WorkLoop;
using PullSecretWebhook.Tests.Kube.Support;

namespace PullSecretWebhook.Tests.Reconciliation.WorkLoop;

/// <summary>The generic worker loop on a kind of work it has never heard of (a third kind, defined here): typed items,
/// forget on success, requeue with backoff on error, requeue after the delay a reconciler asks for, leader-only.</summary>
public sealed class ControllerTests : IDisposable
{
    private static readonly ReconcilerOptions Options = new() { RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(8), ResyncPeriod = TimeSpan.FromMinutes(10) };

    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger<Controller<BucketWork>> _logger = new();
    private readonly BucketReconciler _reconciler = new();
    private readonly BucketSource _source = new();
    private readonly Controller<BucketWork> _controller;
    private readonly CancellationTokenSource _leadership = new();

    public ControllerTests() =>
        _controller = new Controller<BucketWork>(_reconciler, _source, ControllerSettings.From(Options, workers: 2), _time, _logger);

    public void Dispose()
    {
        _leadership.Dispose();
        _controller.Dispose();
    }

    [Fact]
    public async Task Lead_ReconcilesEveryItemOfTheSource_ThenWhatTheWatchAdds()
    {
        _source.Items.Add(new BucketWork("a", 1));
        _controller.Watch();
        var running = _controller.RunWhileLeadingAsync(_leadership.Token);

        await Eventually.WaitUntilAsync(() => _reconciler.Attempts(new BucketWork("a", 1)) == 1, "the listed item is reconciled at the start");
        _source.Enqueue!(new BucketWork("b", 2));
        await Eventually.WaitUntilAsync(() => _reconciler.Attempts(new BucketWork("b", 2)) == 1, "the watched item is reconciled");

        await StopAsync(running);
        Assert.Equal(2, _reconciler.Total);
        Assert.Equal(0, _controller.Depth);
    }

    [Fact]
    public async Task Error_IsRequeuedWithExponentialBackoff_AndSuccessForgetsTheFailures()
    {
        var work = new BucketWork("flaky", 7);
        _reconciler.FailuresBeforeSuccess[work] = 3;
        _controller.Add(work);
        var running = _controller.RunWhileLeadingAsync(_leadership.Token);

        await WaitForFailureLogsAsync(1);
        Assert.Equal(1, _reconciler.Attempts(work));
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitForFailureLogsAsync(2);

        // Second failure: 2 s. Not retried after 1 s, retried after 2 s.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _reconciler.Attempts(work));
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitForFailureLogsAsync(3);

        // Third failure: 4 s; the fourth attempt succeeds.
        _time.Advance(TimeSpan.FromSeconds(4));
        await Eventually.WaitUntilAsync(() => _reconciler.Successes(work) == 1, "the fourth attempt succeeds");
        Assert.Equal(4, _reconciler.Attempts(work));
        Assert.Contains("failed (3 in a row); retrying in 00:00:04", _logger.Collector.LatestRecord.Message, StringComparison.Ordinal);

        // Forgotten: a new failure starts again at the base delay.
        _reconciler.FailuresBeforeSuccess[work] = 5;
        _controller.Add(work);
        await WaitForFailureLogsAsync(4);
        Assert.Contains("failed (1 in a row); retrying in 00:00:01", _logger.Collector.LatestRecord.Message, StringComparison.Ordinal);

        await StopAsync(running);
    }

    [Fact]
    public async Task RequeueAfter_LooksAgainAfterTheDelay_NotBefore()
    {
        var work = new BucketWork("expiring", 1);
        _reconciler.RequeueAfter[work] = TimeSpan.FromSeconds(30);
        _controller.Add(work);
        var running = _controller.RunWhileLeadingAsync(_leadership.Token);

        await Eventually.WaitUntilAsync(() => _logger.Collector.GetSnapshot().Any(r => r.Message.Contains("looking again in 00:00:30", StringComparison.Ordinal)), "the requeue is scheduled");
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, _reconciler.Attempts(work));
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitUntilAsync(() => _reconciler.Attempts(work) == 2, "looked at again after 30 s");

        await StopAsync(running);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Exception is not null);
    }

    [Fact]
    public async Task NotLeading_NothingIsReconciled_AndAddedWorkWaitsForTheNextLeadership()
    {
        var work = new BucketWork("later", 3);
        _controller.Add(work);
        _controller.Add(work);
        Assert.Equal(1, _controller.Depth);
        Assert.Equal(0, _reconciler.Total);

        var running = _controller.RunWhileLeadingAsync(_leadership.Token);
        await Eventually.WaitUntilAsync(() => _reconciler.Attempts(work) == 1, "reconciled once leading");
        await StopAsync(running);
    }

    [Fact]
    public async Task Resync_AddsEveryItemAgainEachPeriod()
    {
        var work = new BucketWork("steady", 1);
        _source.Items.Add(work);
        var running = _controller.RunWhileLeadingAsync(_leadership.Token);
        await Eventually.WaitUntilAsync(() => _reconciler.Attempts(work) == 1, "reconciled at the start");

        _time.Advance(Options.ResyncPeriod);
        await Eventually.WaitUntilAsync(() => _reconciler.Attempts(work) == 2, "reconciled again at the resync");
        await StopAsync(running);
    }

    private Task WaitForFailureLogsAsync(int count) =>
        Eventually.WaitUntilAsync(() => _logger.Collector.GetSnapshot().Count(r => r.Exception is not null) == count, $"{count} failure(s) handled");

    private async Task StopAsync(Task running)
    {
        await _leadership.CancelAsync();
        await running;
    }

    /// <summary>A third kind of work, unknown to the product: the loop needs nothing but equality.</summary>
    internal readonly record struct BucketWork(string Name, int Shard);

    internal sealed class BucketSource : IWorkSource<BucketWork>
    {
        public List<BucketWork> Items { get; } = [];

        public Action<BucketWork>? Enqueue { get; private set; }

        public void Watch(Action<BucketWork> enqueue) => Enqueue = enqueue;

        public IEnumerable<BucketWork> All() => Items;
    }

    internal sealed class BucketReconciler : IReconciler<BucketWork>
    {
        private readonly ConcurrentDictionary<BucketWork, int> _attempts = new();
        private readonly ConcurrentDictionary<BucketWork, int> _successes = new();

        public ConcurrentDictionary<BucketWork, int> FailuresBeforeSuccess { get; } = new();

        public ConcurrentDictionary<BucketWork, TimeSpan> RequeueAfter { get; } = new();

        public int Total => _attempts.Values.Sum();

        public int Attempts(BucketWork work) => _attempts.GetValueOrDefault(work);

        public int Successes(BucketWork work) => _successes.GetValueOrDefault(work);

        public Task<ReconcileResult> ReconcileAsync(BucketWork work, CancellationToken cancellationToken)
        {
            _attempts.AddOrUpdate(work, 1, (_, n) => n + 1);
            if (FailuresBeforeSuccess.GetValueOrDefault(work) is > 0 and var left)
            {
                FailuresBeforeSuccess[work] = left - 1;
                throw new InvalidOperationException($"bucket {work.Name} is not ready");
            }

            _successes.AddOrUpdate(work, 1, (_, n) => n + 1);
            return Task.FromResult(RequeueAfter.TryRemove(work, out var delay) ? ReconcileResult.After(delay) : ReconcileResult.Done);
        }
    }
}

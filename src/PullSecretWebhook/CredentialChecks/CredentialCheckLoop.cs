using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Events;
using PullSecretWebhook.Reconciliation.WorkLoop;
using k8s.Models;

namespace PullSecretWebhook.CredentialChecks;

/// <summary>Checks every distinct exported credential while this replica leads: all of them when leadership starts,
/// a source's on every change of it, all of them every <c>CredentialChecks:Interval</c>; never once per namespace.
/// A fixed number of workers bounds the registry traffic; every check has a deadline, so one slow registry cannot
/// stall the others. Verdicts are reported on <c>/status</c>, in metrics and as Warning Events on the source.</summary>
internal sealed class CredentialCheckLoop : ILeaderWork
{
    private readonly CredentialInventory _inventory;
    private readonly CredentialChecker _checker;
    private readonly EventRecorder _events;
    private readonly CredentialCheckMetrics _metrics;
    private readonly CredentialChecksOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CredentialCheckLoop> _logger;
    private readonly ConcurrentDictionary<CheckTarget, CheckResult> _results = new();
    private readonly ConcurrentDictionary<CheckTarget, CheckTrigger> _pending = new();
    private volatile Channel<CheckWork>? _queue;

    public CredentialCheckLoop(
        ClusterCaches caches,
        CredentialInventory inventory,
        CredentialChecker checker,
        EventRecorder events,
        CredentialCheckMetrics metrics,
        IOptions<CredentialChecksOptions> options,
        TimeProvider time,
        ILogger<CredentialCheckLoop> logger)
    {
        _inventory = inventory;
        _checker = checker;
        _events = events;
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
        if (_options.Enabled)
        {
            caches.Sources.AddHandler(OnSourceChangedAsync);
            metrics.Observe(CountByVerdict);
        }
    }

    public bool IsRunning => _queue is not null;

    public async Task RunWhileLeadingAsync(CancellationToken leadership)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var queue = Channel.CreateUnbounded<CheckWork>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
        _queue = queue;
        try
        {
            var targets = _inventory.Targets();
            CredentialCheckLog.Started(_logger, targets.Count, _options.Interval, _options.Concurrency);
            foreach (var target in targets)
            {
                Enqueue(target, CheckTrigger.Start);
            }

            var tasks = Enumerable.Range(0, _options.Concurrency).Select(_ => WorkAsync(queue.Reader, leadership)).ToList();
            tasks.Add(TickAsync(leadership));
            await Task.WhenAll(tasks);
        }
        finally
        {
            // A follower checks nothing and reports nothing: its verdicts would go stale unseen.
            _queue = null;
            queue.Writer.TryComplete();
            _pending.Clear();
            _results.Clear();
        }
    }

    /// <summary>The verdict of every key of a source as this replica knows it.</summary>
    public IReadOnlyList<(KeyCredential Key, CheckResult Result)> Report(SourceCredentials source) =>
        [.. source.Keys.Select(key => (key, key.Target is null
            ? CheckResult.Unchecked(key.Problem ?? "cannot be checked")
            : _results.TryGetValue(key.Target, out var result)
                ? result
                : CheckResult.Unchecked(!_options.Enabled ? "credential checks are off (CredentialChecks:Mode)" : IsRunning ? "not checked yet" : "checked by the Lease holder, not this replica")))];

    private void Enqueue(CheckTarget target, CheckTrigger trigger)
    {
        if (_queue is { } queue && _pending.TryAdd(target, trigger))
        {
            queue.Writer.TryWrite(new CheckWork(target, trigger));
        }
    }

    private Task OnSourceChangedAsync(InformerEvent<V1Secret> change, CancellationToken cancellationToken)
    {
        if (change.Type != InformerEventType.Deleted && _queue is not null && _inventory.Of(change.Object) is { } source)
        {
            foreach (var key in source.Keys)
            {
                if (key.Target is { } target)
                {
                    Enqueue(target, CheckTrigger.SourceChanged);
                }
            }
        }

        return Task.CompletedTask;
    }

    private async Task TickAsync(CancellationToken leadership)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(leadership))
            {
                var targets = _inventory.Targets();
                foreach (var gone in _results.Keys.Where(t => !targets.Contains(t)))
                {
                    _results.TryRemove(gone, out _);
                }

                foreach (var target in targets)
                {
                    Enqueue(target, CheckTrigger.Interval);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Leadership ended.
        }
    }

    private async Task WorkAsync(ChannelReader<CheckWork> reader, CancellationToken leadership)
    {
        try
        {
            await foreach (var work in reader.ReadAllAsync(leadership))
            {
                _pending.TryRemove(work.Target, out _);
                try
                {
                    await CheckAsync(work.Target, leadership);
                }
                catch (OperationCanceledException) when (leadership.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A worker must survive anything one check throws; the next interval retries it.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    CredentialCheckLog.CheckCrashed(_logger, e, work.Target.ToString());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Leadership ended.
        }
    }

    private async Task CheckAsync(CheckTarget target, CancellationToken leadership)
    {
        var result = await _checker.CheckAsync(target, leadership);
        var previous = _results.TryGetValue(target, out var known) ? known : null;
        _results[target] = result;
        _metrics.Checked(result);
        if (previous?.Verdict != result.Verdict || previous.Reason != result.Reason)
        {
            CredentialCheckLog.VerdictChanged(_logger, target.ToString(), result.Verdict, result.Reason);
        }
        else
        {
            CredentialCheckLog.VerdictSame(_logger, target.ToString(), result.Verdict, result.Requests);
        }

        var now = _time.GetUtcNow();
        var expiring = result.ExpiresAt is { } expiresAt && expiresAt - now <= _options.ExpiryWarning;
        if (result.Verdict != CredentialVerdict.Rejected && !expiring)
        {
            return;
        }

        foreach (var source in _inventory.Sources())
        {
            foreach (var key in source.Keys.Where(k => target.Equals(k.Target)))
            {
                if (result.Verdict == CredentialVerdict.Rejected)
                {
                    await _events.WarnAsync(source.Secret, "CredentialRejected", $"Registry key {key.Key} (user {target.Username}) is rejected: {result.Reason}. Pods pulling with it will fail.", leadership);
                }

                if (expiring)
                {
                    var when = result.ExpiresAt!.Value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
                    if (await _events.WarnAsync(source.Secret, "CredentialExpiring", $"Registry key {key.Key} (user {target.Username}) {(result.ExpiresAt <= now ? "expired" : "expires")} at {when}.", leadership))
                    {
                        CredentialCheckLog.Expiring(_logger, target.ToString(), result.ExpiresAt.Value);
                    }
                }
            }
        }
    }

    private IEnumerable<Measurement<long>> CountByVerdict()
    {
        if (!IsRunning)
        {
            return [];
        }

        var counts = Enum.GetValues<CredentialVerdict>().ToDictionary(v => v, _ => 0L);
        foreach (var target in _inventory.Targets())
        {
            counts[_results.TryGetValue(target, out var result) ? result.Verdict : CredentialVerdict.Unchecked]++;
        }

        return counts.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("verdict", CheckResult.LabelOf(c.Key))));
    }
}

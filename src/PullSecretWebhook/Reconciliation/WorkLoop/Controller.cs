namespace PullSecretWebhook.Reconciliation.WorkLoop;

/// <summary>The generic worker loop, as controller-runtime's controller (README, "How the reconciler works"): workers
/// take an item of one kind of work from its queue, reconcile it, then forget it or requeue it — after the delay the
/// reconciler asked for, or with per-item exponential backoff when it threw. It knows nothing of what the work is:
/// a new kind of work is a new <see cref="IReconciler{TWork}"/> and <see cref="IWorkSource{TWork}"/>, not a change
/// here. It works only while leading (it is <see cref="ILeaderWork"/>); the queue outlives a leadership term.</summary>
internal sealed class Controller<TWork> : IController, IDisposable
    where TWork : notnull
{
    private readonly IReconciler<TWork> _reconciler;
    private readonly IWorkSource<TWork> _source;
    private readonly ControllerSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkQueue<TWork> _queue;

    public Controller(IReconciler<TWork> reconciler, IWorkSource<TWork> source, ControllerSettings settings, TimeProvider time, ILogger<Controller<TWork>> logger)
    {
        _reconciler = reconciler;
        _source = source;
        _settings = settings;
        _time = time;
        _logger = logger;
        _queue = new WorkQueue<TWork>(time, settings.RetryBaseDelay, settings.RetryMaxDelay);
    }

    public int Depth => _queue.Depth;

    public void Watch() => _source.Watch(_queue.Add);

    public void Add(TWork work) => _queue.Add(work);

    /// <summary>Every item once at the start, then the workers and the resync until leadership ends.</summary>
    public async Task RunWhileLeadingAsync(CancellationToken leadership)
    {
        AddAll();
        var loops = Enumerable.Range(0, _settings.Workers).Select(_ => WorkAsync(leadership)).ToList();
        loops.Add(ResyncAsync(leadership));
        await Task.WhenAll(loops);
    }

    public void Dispose() => _queue.Dispose();

    private void AddAll()
    {
        foreach (var work in _source.All())
        {
            _queue.Add(work);
        }
    }

    private async Task ResyncAsync(CancellationToken leadership)
    {
        using var timer = new PeriodicTimer(_settings.ResyncPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(leadership))
            {
                // From the caches only: an item already in sync costs no API call.
                AddAll();
            }
        }
        catch (OperationCanceledException)
        {
            // Leadership ended.
        }
    }

    private async Task WorkAsync(CancellationToken leadership)
    {
        while (!leadership.IsCancellationRequested)
        {
            TWork work;
            try
            {
                work = await _queue.TakeAsync(leadership);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var result = await _reconciler.ReconcileAsync(work, leadership);
                _queue.Forget(work);
                if (result.RequeueAfter is { } delay)
                {
                    _queue.AddAfter(work, delay);
                    ReconcilerLog.Requeued(_logger, work.ToString() ?? "", delay);
                }
            }
            catch (OperationCanceledException) when (leadership.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A worker must survive anything one item throws: retry it with backoff, keep going.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var delay = _queue.AddRateLimited(work);
                ReconcilerLog.Failed(_logger, e, work.ToString() ?? "", _queue.Failures(work), delay);
            }
            finally
            {
                _queue.Done(work);
            }
        }
    }
}

using k8s;
using k8s.Models;

namespace PullSecretWebhook.Kube.Leader;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, following client-go's leaderelection:
/// a lease is free when it has no holder or when it has not changed for its duration, judged by
/// our own clock from when we last saw it change (clocks of different nodes are never compared).
/// Every write carries the resourceVersion last read or written, so two candidates cannot both win.
/// The leader renews with a single PUT of the Lease as it last wrote it, as client-go does; only
/// when that fails does it read the Lease again. Followers read it every RetryPeriod, as they must
/// to see it change.
/// </summary>
/// <remarks>The project's own, on KubernetesClient's <see cref="V1Lease"/> calls, rather than the package's
/// <c>LeaderElector</c>: that one stops campaigning on the first network error (it catches only
/// <c>HttpOperationException</c>), never releases the Lease on stop, renews with a GET and a PUT (twice the traffic),
/// can still act as leader after a renewal has failed past the deadline, and reads the wall clock instead of a
/// <see cref="TimeProvider"/>.</remarks>
internal sealed class LeaderElector
{
    private const double JitterFactor = 0.2;

    private readonly IKubernetes _api;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _namespace;
    private V1LeaseSpec? _observed;
    private DateTimeOffset _observedAt;

    /// <summary>The Lease as this process last wrote it as holder (with its resourceVersion); null when it must be read first.</summary>
    private V1Lease? _held;
    private volatile bool _isLeader;
    private volatile string? _currentLeader;

    public LeaderElector(IKubernetes api, LeaderElectionOptions options, string leaseNamespace, string identity, TimeProvider timeProvider, ILogger<LeaderElector> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity);
        _api = api;
        _options = options;
        _namespace = leaseNamespace;
        Identity = identity;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Identity { get; }

    public bool IsLeader => _isLeader;

    /// <summary>The holder last seen on the Lease (this process when leading); null if none.</summary>
    public string? CurrentLeader => _currentLeader;

    /// <summary>
    /// Campaigns for the Lease, leads while it holds it, and campaigns again after losing it, until
    /// <paramref name="cancellationToken"/> is cancelled; then stops the leader work and releases the Lease so a
    /// follower takes over at once.
    /// </summary>
    public async Task CampaignUntilStoppedAsync(LeaderCallbacks callbacks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await CampaignUntilElectedAsync(callbacks, cancellationToken))
            {
                return;
            }

            _isLeader = true;
            LeaderElectionLog.Acquired(_logger, _namespace, _options.LeaseName, Identity);
            using (var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var work = RunWorkAsync(callbacks.OnStartedLeading, leading.Token);
                await RenewUntilLostAsync(work, cancellationToken);
                _isLeader = false;
                _held = null;
                await leading.CancelAsync();
                try
                {
                    await work;
                }
                catch (Exception)
                {
                    // Logged by RunWorkAsync; a failed leader gives the lease up and campaigns again.
                }
            }

            await ReleaseAsync();
            callbacks.OnStoppedLeading?.Invoke();

            // Pause before campaigning again, so leader work that fails at once cannot spin.
            await DelayAsync(Jittered(_options.RetryPeriod), cancellationToken);
        }
    }

    /// <summary>Tries every RetryPeriod until this process holds the Lease (true) or is stopped (false).</summary>
    private async Task<bool> CampaignUntilElectedAsync(LeaderCallbacks callbacks, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (await TryAcquireOrRenewAsync(callbacks, cancellationToken))
                {
                    return true;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (KubeApiException.IsApiFailure(ex))
            {
                LeaderElectionLog.AttemptFailed(_logger, ex, _namespace, _options.LeaseName);
            }

            if (!await DelayAsync(Jittered(_options.RetryPeriod), cancellationToken))
            {
                return false;
            }
        }
    }

    /// <summary>Renews every RetryPeriod; returns when a renewal has not succeeded for RenewDeadline, the work failed, or on cancellation.</summary>
    private async Task RenewUntilLostAsync(Task work, CancellationToken cancellationToken)
    {
        var lastRenew = _timeProvider.GetUtcNow();
        while (!work.IsFaulted && await DelayAsync(_options.RetryPeriod, cancellationToken))
        {
            var remaining = _options.RenewDeadline - (_timeProvider.GetUtcNow() - lastRenew);
            var renewed = false;
            if (remaining > TimeSpan.Zero)
            {
                using var deadline = new CancellationTokenSource(remaining, _timeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
                try
                {
                    renewed = await TryRenewHeldAsync(linked.Token) || await TryAcquireOrRenewAsync(null, linked.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The renew deadline cut this attempt short.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception ex) when (KubeApiException.IsApiFailure(ex))
                {
                    LeaderElectionLog.AttemptFailed(_logger, ex, _namespace, _options.LeaseName);
                }
            }

            if (renewed)
            {
                lastRenew = _timeProvider.GetUtcNow();
            }
            else if (_timeProvider.GetUtcNow() - lastRenew >= _options.RenewDeadline)
            {
                LeaderElectionLog.Lost(_logger, _namespace, _options.LeaseName, _options.RenewDeadline);
                return;
            }
        }
    }

    /// <summary>
    /// The leader's fast path: one PUT of the Lease it last wrote, only renewTime moved, instead of
    /// a GET and a PUT (client-go's optimistic renewal, kubernetes/kubernetes#122069). The
    /// resourceVersion it carries makes the server refuse it if anyone wrote since (409) or the
    /// Lease was deleted (404); on any failure the caller reads the Lease and decides afresh.
    /// </summary>
    private async Task<bool> TryRenewHeldAsync(CancellationToken cancellationToken)
    {
        // Used once: after a failed PUT the cached copy may be stale, so only a fresh read may renew.
        var held = _held;
        _held = null;
        if (held?.Spec is not { } spec)
        {
            return false;
        }

        var now = _timeProvider.GetUtcNow();
        spec.RenewTime = now.UtcDateTime;
        try
        {
            Hold(await ReplaceAsync(held, cancellationToken), now);
            return true;
        }
        catch (Exception ex) when (KubeApiException.IsApiFailure(ex))
        {
            LeaderElectionLog.OptimisticRenewFailed(_logger, ex, _namespace, _options.LeaseName);
            return false;
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(LeaderCallbacks? callbacks, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var durationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);
        var lease = await ReadAsync(cancellationToken);
        if (lease is null)
        {
            var created = new V1Lease
            {
                ApiVersion = V1Lease.KubeGroup + "/" + V1Lease.KubeApiVersion,
                Kind = V1Lease.KubeKind,
                Metadata = new V1ObjectMeta { Name = _options.LeaseName, NamespaceProperty = _namespace },
                Spec = new V1LeaseSpec { HolderIdentity = Identity, LeaseDurationSeconds = durationSeconds, AcquireTime = now.UtcDateTime, RenewTime = now.UtcDateTime, LeaseTransitions = 0 },
            };
            try
            {
                Hold(await _api.CoordinationV1.CreateNamespacedLeaseAsync(created, _namespace, cancellationToken: cancellationToken), now);
                return true;
            }
            catch (KubeApiException ex) when (ex.IsAlreadyExists || ex.IsConflict)
            {
                return false;
            }
        }

        var spec = lease.Spec ??= new V1LeaseSpec();
        if (!SameRecord(spec, _observed))
        {
            Observe(spec, now);
        }

        var holder = spec.HolderIdentity;
        var heldByOther = !string.IsNullOrEmpty(holder) && holder != Identity;
        var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? durationSeconds);
        if (heldByOther && _observedAt + duration > now)
        {
            callbacks?.OnNewLeader?.Invoke(holder!);
            return false;
        }

        if (holder != Identity)
        {
            spec.AcquireTime = now.UtcDateTime;
            spec.LeaseTransitions = (spec.LeaseTransitions ?? 0) + (string.IsNullOrEmpty(holder) ? 0 : 1);
        }

        spec.HolderIdentity = Identity;
        spec.LeaseDurationSeconds = durationSeconds;
        spec.RenewTime = now.UtcDateTime;
        try
        {
            Hold(await ReplaceAsync(lease, cancellationToken), now);
            return true;
        }
        catch (KubeApiException ex) when (ex.IsConflict)
        {
            // Someone else wrote first; we will look again next round.
            return false;
        }
    }

    /// <summary>Gives the lease up (holder cleared, duration 1 s) so a follower need not wait out the duration.</summary>
    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(_options.RenewDeadline, _timeProvider);
        try
        {
            var lease = await ReadAsync(timeout.Token);
            if (lease?.Spec is not { } spec || spec.HolderIdentity != Identity)
            {
                return;
            }

            var now = _timeProvider.GetUtcNow();
            spec.HolderIdentity = null;
            spec.LeaseDurationSeconds = 1;
            spec.AcquireTime = now.UtcDateTime;
            spec.RenewTime = now.UtcDateTime;
            Observe((await ReplaceAsync(lease, timeout.Token)).Spec, now);
            LeaderElectionLog.Released(_logger, _namespace, _options.LeaseName);
        }
        catch (Exception ex) when (KubeApiException.IsApiFailure(ex) || ex is OperationCanceledException)
        {
            // Not fatal: followers take over once the lease duration has passed.
            LeaderElectionLog.AttemptFailed(_logger, ex, _namespace, _options.LeaseName);
        }
    }

    private async Task RunWorkAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await work(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Leadership ended: the expected way out.
        }
        catch (Exception ex)
        {
            LeaderElectionLog.WorkFailed(_logger, ex);
            throw;
        }
    }

    /// <summary>Records a Lease this process just wrote, to renew from next time while it holds it.</summary>
    private void Hold(V1Lease written, DateTimeOffset now)
    {
        _held = written.Spec?.HolderIdentity == Identity ? written : null;
        Observe(written.Spec, now);
    }

    private void Observe(V1LeaseSpec? spec, DateTimeOffset now)
    {
        _observed = spec is null ? null : Copy(spec);
        _observedAt = now;
        var holder = string.IsNullOrEmpty(spec?.HolderIdentity) ? null : spec.HolderIdentity;
        if (holder != _currentLeader && holder is not null && holder != Identity)
        {
            LeaderElectionLog.NewLeader(_logger, _namespace, _options.LeaseName, holder);
        }

        _currentLeader = holder;
    }

    private static bool SameRecord(V1LeaseSpec a, V1LeaseSpec? b) =>
        b is not null
        && a.HolderIdentity == b.HolderIdentity
        && a.LeaseDurationSeconds == b.LeaseDurationSeconds
        && a.AcquireTime == b.AcquireTime
        && a.RenewTime == b.RenewTime
        && a.LeaseTransitions == b.LeaseTransitions;

    private static V1LeaseSpec Copy(V1LeaseSpec spec) => new()
    {
        HolderIdentity = spec.HolderIdentity,
        LeaseDurationSeconds = spec.LeaseDurationSeconds,
        AcquireTime = spec.AcquireTime,
        RenewTime = spec.RenewTime,
        LeaseTransitions = spec.LeaseTransitions,
    };

    /// <summary>The Lease, or null when there is none.</summary>
    private Task<V1Lease?> ReadAsync(CancellationToken cancellationToken) =>
        KubeApiException.OrNullIfNotFound(_api.CoordinationV1.ReadNamespacedLeaseAsync(_options.LeaseName, _namespace, cancellationToken: cancellationToken));

    /// <summary>A PUT of the whole Lease, which this process owns: its resourceVersion makes it optimistic (409 if
    /// anyone wrote since).</summary>
    private Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken) =>
        _api.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _options.LeaseName, _namespace, cancellationToken: cancellationToken);

    private static TimeSpan Jittered(TimeSpan period) => period * (1 + (Random.Shared.NextDouble() * JitterFactor));

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

using FakeKubeApiServer.Faults;
using FakeKubeApiServer.Http;

namespace FakeKubeApiServer;

/// <summary>
/// Makes the fake misbehave on purpose: failures with a proper Status body (and Retry-After for
/// 429, as API Priority and Fairness sends), added latency, and requests held until the test lets them through. Matching is by Kubernetes verb
/// (get, list, watch, create, update, patch, delete; null = any) and a substring of path+query.
/// Faults apply after authentication and before authorization, as APF does.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _failures = [];
    private readonly List<LatencyRule> _latencies = [];
    private readonly List<RequestHold> _holds = [];

    /// <summary>Fails the next <paramref name="count"/> matching requests with <paramref name="status"/>.</summary>
    public void FailNext(int count, string? verb, string pathContains, int status, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        lock (_gate)
        {
            _failures.Add(new FaultRule(count, verb, pathContains ?? "", status, retryAfter));
        }
    }

    /// <summary>Delays every matching request by <paramref name="latency"/> until <see cref="Clear"/>.</summary>
    public void AddLatency(TimeSpan latency, string? verb = null, string? pathContains = null)
    {
        lock (_gate)
        {
            _latencies.Add(new LatencyRule(latency, verb, pathContains));
        }
    }

    /// <summary>Holds the next matching request before it is served until <see cref="RequestHold.Release"/> (see
    /// <see cref="RequestHold"/>).</summary>
    public RequestHold HoldNext(string? verb, string pathContains)
    {
        var hold = new RequestHold(verb, pathContains ?? "");
        lock (_gate)
        {
            _holds.Add(hold);
        }

        return hold;
    }

    public void Clear()
    {
        lock (_gate)
        {
            _failures.Clear();
            _latencies.Clear();
            foreach (var hold in _holds)
            {
                hold.Release();
            }

            _holds.Clear();
        }
    }

    /// <summary>The hold for this request, if one is waiting for it (each holds one request; it stays listed, held,
    /// until released, so that <see cref="Clear"/> lets it through).</summary>
    internal RequestHold? TakeHold(string verb, string pathAndQuery)
    {
        lock (_gate)
        {
            var hold = _holds.FirstOrDefault(h => !h.Taken && h.Matches(verb, pathAndQuery));
            hold?.Take();
            return hold;
        }
    }

    internal TimeSpan LatencyFor(string verb, string pathAndQuery)
    {
        lock (_gate)
        {
            return _latencies.Where(l => l.Matches(verb, pathAndQuery)).Aggregate(TimeSpan.Zero, (sum, l) => sum + l.Latency);
        }
    }

    /// <summary>The failure for this request, consuming one count of the first matching rule.</summary>
    internal ApiException? TakeFailure(string verb, string pathAndQuery)
    {
        lock (_gate)
        {
            var rule = _failures.FirstOrDefault(f => f.Matches(verb, pathAndQuery));
            if (rule is null)
            {
                return null;
            }

            if (--rule.Remaining == 0)
            {
                _failures.Remove(rule);
            }

            return Status.ForCode(rule.Status, rule.Status == 429 ? rule.RetryAfter ?? TimeSpan.FromSeconds(1) : rule.RetryAfter);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using PullSecretWebhook.Kube.Leader;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>
/// Leader election on a Lease in the fake API server: with short real durations, or with a manual
/// clock per candidate so that a test lets it make one attempt at a time and sees that attempt's
/// requests in the fake's request log (each candidate has its own client, told apart by User-Agent).
/// </summary>
public sealed class LeaderElectorTests : IAsyncLifetime
{
    private static readonly LeaderElectionOptions Fast = new()
    {
        LeaseName = "pullsecret-webhook",
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>
    /// For the manual clock. RenewDeadline is no multiple of RetryPeriod, so the renew deadline's
    /// timer (250, 150, 50 ms left) never looks like the sleep before an attempt (100 to 120 ms).
    /// </summary>
    private static readonly LeaderElectionOptions Stepped = new()
    {
        LeaseName = "pullsecret-webhook",
        LeaseDuration = TimeSpan.FromSeconds(15),
        RenewDeadline = TimeSpan.FromMilliseconds(350),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
    };

    private KubeTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeTestCluster.StartAsync();
        await _cluster.CreateClient().CreateNamespaceAsync("psw");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private LeaderElector Elector(string identity, LeaderElectionOptions? options = null, TimeProvider? time = null)
    {
        var kube = KubeTestCluster.FastOptions();
        kube.UserAgent = AgentOf(identity);
        return new(_cluster.CreateClient(kube), options ?? Fast, "psw", identity, time ?? TimeProvider.System, NullLogger<LeaderElector>.Instance);
    }

    private static string AgentOf(string identity) => $"candidate-{identity}";

    /// <summary>A candidate on its own manual clock, for <see cref="AttemptAsync"/>.</summary>
    private Candidate SteppedCandidate(string identity)
    {
        var time = new TimerAwareTimeProvider();
        return new Candidate(Elector(identity, Stepped, time), time);
    }

    private JsonObject? StoredLease => _cluster.Server.Store.Get("coordination.k8s.io/v1", "leases", "psw", "pullsecret-webhook");

    private static string MicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject LeaseHeldBy(string holder, string time) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = new JsonObject { ["name"] = "pullsecret-webhook", ["namespace"] = "psw" },
        ["spec"] = new JsonObject { ["holderIdentity"] = holder, ["leaseDurationSeconds"] = 15, ["acquireTime"] = time, ["renewTime"] = time, ["leaseTransitions"] = 1 },
    };

    /// <summary>The candidate's requests on Leases so far, as "verb status".</summary>
    private List<string> LeaseRequests(Candidate candidate) =>
        [.. _cluster.Server.Requests.Snapshot()
            .Where(e => e.Resource == "leases" && e.UserAgent == AgentOf(candidate.Elector.Identity))
            .Select(e => $"{e.Verb} {e.Status}")];

    /// <summary>The candidate sees <paramref name="holder"/> as leader, then only reads until its renew deadline passes:
    /// it loses leadership (work cancelled, stopped once) and never writes over the holder's Lease.</summary>
    private async Task AssertLosesLeadershipWithoutWritingAsync(Candidate a, string holder)
    {
        Assert.Equal(holder, a.Elector.CurrentLeader);
        var later = new List<string>();
        for (var attempt = 0; attempt < 10 && a.Elector.IsLeader; attempt++)
        {
            later.AddRange(await AttemptAsync(a));
        }

        Assert.False(a.Elector.IsLeader);
        Assert.True(a.LeadingToken.IsCancellationRequested);
        Assert.Equal(1, a.Stopped);
        Assert.NotEmpty(later);
        Assert.All(later, request => Assert.Equal("get 200", request));
        Assert.Equal(holder, StoredLease!["spec"]!["holderIdentity"]!.GetValue<string>());
    }

    /// <summary>
    /// Lets a candidate on a manual clock make one attempt: waits until it sleeps before the next,
    /// moves its clock to the end of that sleep, and waits until it sleeps again. Returns the Lease
    /// requests the attempt made.
    /// </summary>
    private async Task<List<string>> AttemptAsync(Candidate candidate)
    {
        var time = candidate.Time!;
        await WaitUntilAsleepAsync(candidate);
        var before = LeaseRequests(candidate).Count;
        time.Advance(time.PendingTimers().Single());
        await WaitUntilAsleepAsync(candidate);
        return [.. LeaseRequests(candidate).Skip(before)];
    }

    /// <summary>Asleep: its only timer is the pause between attempts (RetryPeriod, up to 20 % more with jitter).</summary>
    private static Task WaitUntilAsleepAsync(Candidate candidate) =>
        Eventually.WaitUntilAsync(
            () => candidate.Time!.PendingTimers() is [var due] && due >= Stepped.RetryPeriod && due <= Stepped.RetryPeriod * 1.2,
            $"{candidate.Elector.Identity} sleeps until its next attempt");

    /// <summary>Starts a stepped candidate and waits until it leads and sleeps before its first renewal.</summary>
    private async Task<Candidate> LeadingSteppedCandidateAsync(string identity)
    {
        var candidate = SteppedCandidate(identity);
        candidate.Run();
        await Eventually.WaitUntilAsync(() => candidate.Elector.IsLeader, $"{identity} leads");
        await WaitUntilAsleepAsync(candidate);
        return candidate;
    }

    private sealed class Candidate(LeaderElector elector, TimerAwareTimeProvider? time = null) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public LeaderElector Elector { get; } = elector;

        /// <summary>The candidate's clock when it is stepped by the test; null on the real clock.</summary>
        public TimerAwareTimeProvider? Time { get; } = time;

        public Task Running { get; private set; } = Task.CompletedTask;

        public int Started { get; private set; }

        public int Stopped { get; private set; }

        public CancellationToken LeadingToken { get; private set; }

        public void Run() => Running = Elector.CampaignUntilStoppedAsync(
            new LeaderCallbacks
            {
                OnStartedLeading = async token =>
                {
                    LeadingToken = token;
                    Started++;
                    await new TaskCompletionSource().Task.WaitAsync(token);
                },
                OnStoppedLeading = () => Stopped++,
            },
            _stop.Token);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Running.WaitAsync(Eventually.DefaultTimeout);
        }

        public void Dispose() => _stop.Dispose();
    }

    [Fact]
    public async Task Run_TwoCandidates_OneLeadsAndReleaseOnShutdownHandsOver()
    {
        using var a = new Candidate(Elector("a"));
        using var b = new Candidate(Elector("b"));
        a.Run();
        await Eventually.WaitUntilAsync(() => a.Elector.IsLeader, "a leads");
        b.Run();
        await Eventually.WaitUntilAsync(() => b.Elector.CurrentLeader == "a", "b sees a as leader");
        Assert.False(b.Elector.IsLeader);
        Assert.Equal(1, a.Started);

        await a.StopAsync();

        Assert.True(a.LeadingToken.IsCancellationRequested);
        Assert.Equal(1, a.Stopped);
        Assert.False(a.Elector.IsLeader);
        await Eventually.WaitUntilAsync(() => b.Elector.IsLeader, "b takes over");
        Assert.Equal("b", StoredLease!["spec"]!["holderIdentity"]!.GetValue<string>());
        await b.StopAsync();
        Assert.Null(StoredLease!["spec"]!["holderIdentity"]);
    }

    [Fact]
    public async Task Run_HolderCrashed_OtherAcquiresOnlyAfterLeaseDuration()
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        _cluster.Server.Store.Create("coordination.k8s.io/v1", "leases", "psw", new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = "pullsecret-webhook", ["namespace"] = "psw" },
            ["spec"] = new JsonObject { ["holderIdentity"] = "crashed", ["leaseDurationSeconds"] = 2, ["acquireTime"] = now, ["renewTime"] = now, ["leaseTransitions"] = 0 },
        });
        using var b = new Candidate(Elector("b"));
        var stopwatch = Stopwatch.StartNew();

        b.Run();
        await Eventually.WaitUntilAsync(() => b.Elector.IsLeader, "b takes the abandoned lease");

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(2), $"acquired after {stopwatch.Elapsed}, before the lease duration");
        var spec = StoredLease!["spec"]!;
        Assert.Equal("b", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, spec["leaseTransitions"]!.GetValue<int>());
        await b.StopAsync();
    }

    [Fact]
    public async Task Run_RenewalsFailPastDeadline_LosesLeadershipAndCancelsWork()
    {
        using var a = new Candidate(Elector("a"));
        a.Run();
        await Eventually.WaitUntilAsync(() => a.Elector.IsLeader, "a leads");

        _cluster.Server.Faults.FailNext(1_000, "update", "/leases/", 500);

        await Eventually.WaitUntilAsync(() => !a.Elector.IsLeader, "a gives up after the renew deadline");
        Assert.True(a.LeadingToken.IsCancellationRequested);
        await Eventually.WaitUntilAsync(() => a.Stopped == 1, "OnStoppedLeading ran");

        _cluster.Server.Faults.Clear();
        await Eventually.WaitUntilAsync(() => a.Elector.IsLeader, "a campaigns again and wins");
        Assert.Equal(2, a.Started);
        await a.StopAsync();
    }

    [Fact]
    public async Task Run_WhileLeading_RenewsTheLease()
    {
        using var a = new Candidate(Elector("a"));
        a.Run();
        await Eventually.WaitUntilAsync(() => a.Elector.IsLeader, "a leads");
        var firstRenew = StoredLease!["spec"]!["renewTime"]!.GetValue<string>();

        await Eventually.WaitUntilAsync(() => StoredLease!["spec"]!["renewTime"]!.GetValue<string>() != firstRenew, "the lease is renewed");

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", StoredLease!["spec"]!["renewTime"]!.GetValue<string>());
        Assert.Equal(1, a.Started);
        await a.StopAsync();
    }

    [Fact]
    public async Task Renew_WhileLeading_OneUpdateAndNoGetPerRenewal_FollowerGetsEachAttempt()
    {
        using var a = await LeadingSteppedCandidateAsync("a");
        using var b = SteppedCandidate("b");
        b.Run();
        await Eventually.WaitUntilAsync(() => b.Elector.CurrentLeader == "a", "b sees a as leader");
        var acquired = StoredLease!["spec"]!.DeepClone();

        for (var renewal = 0; renewal < 5; renewal++)
        {
            Assert.Equal(["update 200"], await AttemptAsync(a));
            var spec = StoredLease!["spec"]!;
            Assert.Equal(MicroTime(a.Time!.GetUtcNow()), spec["renewTime"]!.GetValue<string>());
            Assert.Equal("a", spec["holderIdentity"]!.GetValue<string>());
            Assert.Equal(acquired["acquireTime"]!.GetValue<string>(), spec["acquireTime"]!.GetValue<string>());
            Assert.Equal(acquired["leaseTransitions"]!.GetValue<int>(), spec["leaseTransitions"]!.GetValue<int>());
            Assert.Equal(15, spec["leaseDurationSeconds"]!.GetValue<int>());

            Assert.Equal(["get 200"], await AttemptAsync(b));
            Assert.Equal("a", b.Elector.CurrentLeader);
            Assert.False(b.Elector.IsLeader);
        }

        Assert.True(a.Elector.IsLeader);
        Assert.Equal(1, a.Started);
        await a.StopAsync();
        await b.StopAsync();
    }

    [Fact]
    public async Task Renew_LeaseWrittenByOtherButStillOurs_ConflictThenGetAndRenewsInTheSameAttempt()
    {
        using var a = await LeadingSteppedCandidateAsync("a");
        var lease = StoredLease!;
        lease["metadata"]!["labels"] = new JsonObject { ["team"] = "platform" };
        _cluster.Server.Store.Update("coordination.k8s.io/v1", "leases", "psw", lease);

        Assert.Equal(["update 409", "get 200", "update 200"], await AttemptAsync(a));

        Assert.True(a.Elector.IsLeader);
        Assert.False(a.LeadingToken.IsCancellationRequested);
        Assert.Equal(1, a.Started);
        var stored = StoredLease!;
        Assert.Equal("platform", stored["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal("a", stored["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(MicroTime(a.Time!.GetUtcNow()), stored["spec"]!["renewTime"]!.GetValue<string>());
        Assert.Equal(["update 200"], await AttemptAsync(a));
        await a.StopAsync();
    }

    [Fact]
    public async Task Renew_LeaseTakenByOtherHolder_ConflictThenGetAndLosesLeadershipWithoutWriting()
    {
        using var a = await LeadingSteppedCandidateAsync("a");
        var lease = StoredLease!;
        lease["spec"] = LeaseHeldBy("c", MicroTime(DateTimeOffset.UtcNow))["spec"]!.DeepClone();
        _cluster.Server.Store.Update("coordination.k8s.io/v1", "leases", "psw", lease);

        Assert.Equal(["update 409", "get 200"], await AttemptAsync(a));
        await AssertLosesLeadershipWithoutWritingAsync(a, "c");
        Assert.Equal(["get 200"], await AttemptAsync(a));
        await a.StopAsync();
    }

    [Fact]
    public async Task Renew_LeaseDeleted_NotFoundThenGetAndRecreatesInTheSameAttempt()
    {
        using var a = await LeadingSteppedCandidateAsync("a");
        Assert.NotNull(_cluster.Server.Store.Delete("coordination.k8s.io/v1", "leases", "psw", "pullsecret-webhook"));

        Assert.Equal(["update 404", "get 404", "create 201"], await AttemptAsync(a));

        Assert.True(a.Elector.IsLeader);
        Assert.False(a.LeadingToken.IsCancellationRequested);
        Assert.Equal(1, a.Started);
        var spec = StoredLease!["spec"]!;
        Assert.Equal("a", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(0, spec["leaseTransitions"]!.GetValue<int>());
        Assert.Equal(MicroTime(a.Time!.GetUtcNow()), spec["acquireTime"]!.GetValue<string>());
        Assert.Equal(["update 200"], await AttemptAsync(a));
        await a.StopAsync();
    }

    [Fact]
    public async Task Renew_LeaseDeletedAndRecreatedByOtherHolder_NotFoundThenGetAndLosesLeadershipWithoutWriting()
    {
        using var a = await LeadingSteppedCandidateAsync("a");
        Assert.NotNull(_cluster.Server.Store.Delete("coordination.k8s.io/v1", "leases", "psw", "pullsecret-webhook"));
        _cluster.Server.Store.Create("coordination.k8s.io/v1", "leases", "psw", LeaseHeldBy("c", MicroTime(DateTimeOffset.UtcNow)));

        // The PUT landed while the Lease was gone; c re-created it before the GET.
        _cluster.Server.Faults.FailNext(1, "update", "/leases/pullsecret-webhook", 404);
        Assert.Equal(["update 404", "get 200"], await AttemptAsync(a));
        await AssertLosesLeadershipWithoutWritingAsync(a, "c");
        await a.StopAsync();
    }

    [Fact]
    public async Task Renew_UpdateFailsWithServerError_GetAndRenewsInTheSameAttempt()
    {
        using var a = await LeadingSteppedCandidateAsync("a");
        _cluster.Server.Faults.FailNext(1, "update", "/leases/pullsecret-webhook", 500);

        Assert.Equal(["update 500", "get 200", "update 200"], await AttemptAsync(a));

        Assert.True(a.Elector.IsLeader);
        Assert.Equal(1, a.Started);
        Assert.Equal(MicroTime(a.Time!.GetUtcNow()), StoredLease!["spec"]!["renewTime"]!.GetValue<string>());
        Assert.Equal(["update 200"], await AttemptAsync(a));
        await a.StopAsync();
    }
}

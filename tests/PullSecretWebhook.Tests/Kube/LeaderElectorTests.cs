using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using PullSecretWebhook.Kube.Client;
using PullSecretWebhook.Kube.Leader;
using PullSecretWebhook.Tests.Kube.Support;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>Leader election on a Lease in the fake API server, with short real durations.</summary>
public sealed class LeaderElectorTests : IAsyncLifetime
{
    private static readonly LeaderElectionOptions Fast = new()
    {
        LeaseName = "pullsecret-webhook",
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
    };

    private KubeTestCluster _cluster = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeTestCluster.StartAsync();
        _client = _cluster.CreateClient();
        await _client.CreateNamespaceAsync("psw");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private LeaderElector Elector(string identity) =>
        new(_client, Fast, "psw", identity, TimeProvider.System, NullLogger<LeaderElector>.Instance);

    private JsonObject? StoredLease => _cluster.Server.Store.Get("coordination.k8s.io/v1", "leases", "psw", "pullsecret-webhook");

    private sealed class Candidate(LeaderElector elector) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public LeaderElector Elector { get; } = elector;

        public Task Running { get; private set; } = Task.CompletedTask;

        public int Started { get; private set; }

        public int Stopped { get; private set; }

        public CancellationToken LeadingToken { get; private set; }

        public void Run() => Running = Elector.RunAsync(
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
}

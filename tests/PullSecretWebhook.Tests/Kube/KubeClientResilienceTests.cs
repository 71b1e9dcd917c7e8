using PullSecretWebhook.Kube.Client;
using PullSecretWebhook.Tests.Kube.Support;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>Retries, Retry-After, timeouts and the client-side rate limit, against faults the fake injects.</summary>
public sealed class KubeClientResilienceTests : IAsyncLifetime
{
    private KubeTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeTestCluster.StartAsync();
        var client = _cluster.CreateClient();
        await client.CreateNamespaceAsync("team-a");
        await client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "s"));
        _cluster.Server.Requests.Clear();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Get_429WithRetryAfter_WaitsExactlyRetryAfterThenSucceeds()
    {
        var time = new ManualTimeProvider();
        var client = _cluster.CreateClient(timeProvider: time);
        _cluster.Server.Faults.FailNext(1, "get", "/secrets/s", 429, retryAfter: TimeSpan.FromSeconds(3));

        var get = client.GetAsync(KubeResources.Secrets, "s", "team-a");

        // The retry waits on the clock for Retry-After (3 s), not the tiny exponential backoff.
        await Eventually.WaitUntilAsync(() => time.PendingTimers().Contains(TimeSpan.FromSeconds(3)), "a 3 s retry delay is scheduled");
        Assert.Equal(1, _cluster.Server.Requests.Count("get", "secrets"));
        Assert.False(get.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(3));

        Assert.NotNull(await get);
        Assert.Equal(2, _cluster.Server.Requests.Count("get", "secrets"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Get_ServerError_IsRetried(int status)
    {
        var client = _cluster.CreateClient();
        _cluster.Server.Faults.FailNext(2, "get", "/secrets/s", status);

        Assert.NotNull(await client.GetAsync(KubeResources.Secrets, "s", "team-a"));

        Assert.Equal(3, _cluster.Server.Requests.Count("get", "secrets"));
    }

    [Fact]
    public async Task List_ServerErrorBeyondMaxRetries_SurfacesTheStatus()
    {
        var options = KubeTestCluster.FastOptions();
        options.MaxRetries = 2;
        var client = _cluster.CreateClient(options);
        _cluster.Server.Faults.FailNext(10, "list", "/secrets", 500);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.ListAsync(KubeResources.Secrets, "team-a"));

        Assert.Equal(500, (int)error.StatusCode);
        Assert.Equal("InternalError", error.Reason);
        Assert.Equal(3, _cluster.Server.Requests.Count("list", "secrets"));
    }

    [Theory]
    [InlineData("create", 500)]
    [InlineData("create", 503)]
    [InlineData("update", 409)]
    [InlineData("update", 422)]
    [InlineData("create", 403)]
    public async Task Write_ErrorTheServerMayHaveActedOn_IsNotRetried(string verb, int status)
    {
        var client = _cluster.CreateClient();
        var secret = (await client.GetAsync(KubeResources.Secrets, "s", "team-a"))!;
        _cluster.Server.Requests.Clear();
        _cluster.Server.Faults.FailNext(1, verb, "/secrets", status);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => verb == "create"
            ? client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "new"))
            : client.ReplaceAsync(KubeResources.Secrets, secret));

        Assert.Equal(status, (int)error.StatusCode);
        Assert.Equal(1, _cluster.Server.Requests.Count(verb, "secrets"));
    }

    [Fact]
    public async Task Get_409_IsNotRetried()
    {
        var client = _cluster.CreateClient();
        _cluster.Server.Faults.FailNext(1, "get", "/secrets/s", 409);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(KubeResources.Secrets, "s", "team-a"));

        Assert.True(error.IsConflict);
        Assert.Equal(1, _cluster.Server.Requests.Count("get", "secrets"));
    }

    [Fact]
    public async Task Create_429_IsRetriedBecauseTheServerDidNotProcessIt()
    {
        var client = _cluster.CreateClient();
        _cluster.Server.Faults.FailNext(1, "create", "/secrets", 429, retryAfter: TimeSpan.Zero);

        var created = await client.CreateAsync(KubeResources.Secrets, TestObjects.Secret("team-a", "after-429"));

        Assert.Equal("after-429", created.Metadata.Name);
        Assert.Equal(2, _cluster.Server.Requests.Count("create", "secrets"));
    }

    [Fact]
    public async Task Get_ConnectionRefused_IsRetriedWithBackoffThenSurfaces()
    {
        var config = _cluster.Server.WriteKubeconfig(Path.Combine(_cluster.Directory.Path, "refused"));
        var live = _cluster.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        File.WriteAllText(config, File.ReadAllText(config).Replace(live, $"https://127.0.0.1:{FreePort()}", StringComparison.Ordinal));
        var options = KubeTestCluster.FastOptions();
        options.MaxRetries = 2;
        var log = new ListLogger<KubeClient>();
        var refused = _cluster.CreateClient(options, kubeconfigPath: config, logger: log);

        await Assert.ThrowsAsync<HttpRequestException>(() => refused.GetAsync(KubeResources.Secrets, "s", "team-a"));

        Assert.Equal(2, log.Lines.Count(l => l.Contains("HttpRequestException); retry", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Get_SlowerThanTimeout_ThrowsTimeoutNamingTheSetting()
    {
        var time = new ManualTimeProvider();
        var client = _cluster.CreateClient(timeProvider: time);
        _cluster.Server.Faults.AddLatency(TimeSpan.FromSeconds(2), "get", "/secrets/s");

        var get = client.GetAsync(KubeResources.Secrets, "s", "team-a");
        await Eventually.WaitUntilAsync(() => time.PendingTimers().Contains(TimeSpan.FromSeconds(30)), "the 30 s call timeout is armed");
        time.Advance(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => get);
        Assert.Contains("Kube:Timeout", error.Message, StringComparison.Ordinal);
        _cluster.Server.Faults.Clear();
    }

    [Fact]
    public async Task RateLimiter_BurstSpent_QueuesFurtherRequestsUntilTokensRefill()
    {
        // Qps 0.001: one token every 1000 s, so nothing refills during the test; the bucket holds 3.
        var options = KubeTestCluster.FastOptions();
        options.Qps = 0.001;
        options.Burst = 3;
        var client = _cluster.CreateClient(options);
        using var stop = new CancellationTokenSource();

        var calls = Enumerable.Range(0, 5).Select(_ => client.GetAsync(KubeResources.Secrets, "s", "team-a", stop.Token)).ToList();

        await Eventually.WaitUntilAsync(() => client.RateLimiterStatistics!.CurrentQueuedCount == 2, "two calls wait for a token");
        await Eventually.WaitUntilAsync(() => calls.Count(c => c.IsCompletedSuccessfully) == 3, "the burst of three completes");
        Assert.Equal(3, _cluster.Server.Requests.Count("get", "secrets"));
        Assert.Equal(0, client.RateLimiterStatistics!.CurrentAvailablePermits);
        Assert.Equal(2, calls.Count(c => !c.IsCompleted));

        await stop.CancelAsync();
        foreach (var waiting in calls.Where(c => !c.IsCompletedSuccessfully))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        Assert.Equal(3, _cluster.Server.Requests.Count("get", "secrets"));
    }

    [Theory]
    [InlineData(20, 30, 50, 1)]
    [InlineData(0.5, 1, 2000, 1)]
    [InlineData(1000, 10, 10, 10)]
    public void CreateLimiter_RefillsQpsTokensPerSecond(double qps, int burst, int periodMs, int tokensPerPeriod)
    {
        using var limiter = KubeTransport.CreateLimiter(qps, burst);

        Assert.Equal(TimeSpan.FromMilliseconds(periodMs), limiter.ReplenishmentPeriod);
        Assert.Equal(burst, limiter.GetStatistics()!.CurrentAvailablePermits);
        Assert.Equal(qps, tokensPerPeriod / limiter.ReplenishmentPeriod.TotalSeconds, 6);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

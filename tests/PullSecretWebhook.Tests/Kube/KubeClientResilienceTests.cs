using System.Text;
using Microsoft.Extensions.Logging.Testing;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Transport;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;
using k8s;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>Retries, Retry-After, timeouts, the client-side rate limit and error answers, through the product's client
/// (KubernetesClient over the product's handlers), against faults the fake injects.</summary>
public sealed class KubeClientResilienceTests : IAsyncLifetime
{
    /// <summary>The stored Secret's value: no error may carry it, as text or as the base64 the JSON body holds.</summary>
    private const string SecretValue = "resilience-plaintext-91c2";

    private KubeTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeTestCluster.StartAsync();
        var client = _cluster.CreateClient();
        await client.CreateNamespaceAsync("team-a");
        await client.CreateSecretAsync(TestObjects.Secret("team-a", "s", value: SecretValue));
        _cluster.Server.Requests.Clear();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Read_429WithRetryAfter_WaitsExactlyRetryAfterThenSucceeds()
    {
        var time = new TimerAwareTimeProvider();
        var client = _cluster.CreateClient(timeProvider: time);
        _cluster.Server.Faults.FailNext(1, "get", "/secrets/s", 429, retryAfter: TimeSpan.FromSeconds(3));

        var read = client.CoreV1.ReadNamespacedSecretAsync("s", "team-a");

        // The retry waits on the clock for Retry-After (3 s), not the tiny exponential backoff.
        await Eventually.WaitUntilAsync(() => time.PendingTimers().Contains(TimeSpan.FromSeconds(3)), "a 3 s retry delay is scheduled");
        Assert.Equal(1, _cluster.Server.Requests.Count("get", "secrets"));
        Assert.False(read.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _cluster.Server.Requests.Count("get", "secrets"));
        Assert.False(read.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("s", (await read).Metadata.Name);
        Assert.Equal(2, _cluster.Server.Requests.Count("get", "secrets"));
    }

    [Fact]
    public async Task Read_429WithRetryAfterBeyondTheCap_WaitsSixtySeconds()
    {
        var time = new TimerAwareTimeProvider();
        var client = _cluster.CreateClient(timeProvider: time);
        _cluster.Server.Faults.FailNext(1, "get", "/secrets/s", 429, retryAfter: TimeSpan.FromHours(1));

        var read = client.CoreV1.ReadNamespacedSecretAsync("s", "team-a");

        await Eventually.WaitUntilAsync(() => time.PendingTimers().Contains(TimeSpan.FromSeconds(60)), "a 60 s retry delay is scheduled");
        time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal("s", (await read).Metadata.Name);
        Assert.Equal(2, _cluster.Server.Requests.Count("get", "secrets"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Read_ServerError_IsRetried(int status)
    {
        var client = _cluster.CreateClient();
        _cluster.Server.Faults.FailNext(2, "get", "/secrets/s", status);

        Assert.Equal("s", (await client.CoreV1.ReadNamespacedSecretAsync("s", "team-a")).Metadata.Name);

        Assert.Equal(3, _cluster.Server.Requests.Count("get", "secrets"));
    }

    [Fact]
    public async Task List_ServerErrorBeyondMaxRetries_SurfacesTheStatus()
    {
        var options = KubeTestCluster.FastOptions();
        options.MaxRetries = 2;
        var client = _cluster.CreateClient(options);
        _cluster.Server.Faults.FailNext(10, "list", "/secrets", 500);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => KubeKinds.Secrets.ListAsync(client, "team-a", new ListRequest(), CancellationToken.None));

        Assert.Equal(500, (int)error.StatusCode);
        Assert.Equal("InternalError", error.Reason);
        Assert.Equal(3, _cluster.Server.Requests.Count("list", "secrets"));
    }

    [Theory]
    [InlineData("create", 500)]
    [InlineData("create", 503)]
    [InlineData("create", 403)]
    [InlineData("update", 409)]
    [InlineData("update", 422)]
    [InlineData("update", 500)]
    [InlineData("patch", 409)]
    [InlineData("patch", 422)]
    [InlineData("patch", 503)]
    public async Task Write_ErrorTheServerMayHaveActedOn_IsNotRetriedAndCarriesNoSecretData(string verb, int status)
    {
        var client = _cluster.CreateClient();
        var secret = await client.CoreV1.ReadNamespacedSecretAsync("s", "team-a");
        _cluster.Server.Requests.Clear();
        _cluster.Server.Faults.FailNext(1, verb, "/secrets", status);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => verb switch
        {
            "create" => client.CreateSecretAsync(TestObjects.Secret("team-a", "new", value: SecretValue)),
            "update" => client.CoreV1.ReplaceNamespacedSecretAsync(secret, "s", "team-a"),
            _ => client.CoreV1.PatchNamespacedSecretAsync(
                new SecretPatch(secret).SetData("key", Encoding.UTF8.GetBytes(SecretValue)).ToPatch(), "s", "team-a"),
        });

        Assert.Equal(status, (int)error.StatusCode);
        Assert.Equal(1, _cluster.Server.Requests.Count(verb, "secrets"));
        AssertCarriesNoSecretData(error);
    }

    [Fact]
    public async Task Create_AlreadyExists_TheServersOwnAnswerCarriesNoSecretData()
    {
        var client = _cluster.CreateClient();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.CreateSecretAsync(TestObjects.Secret("team-a", "s", value: SecretValue)));

        Assert.True(error.IsAlreadyExists);
        Assert.Contains("POST /api/v1/namespaces/team-a/secrets", error.Message, StringComparison.Ordinal);
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        AssertCarriesNoSecretData(error);
    }

    [Fact]
    public async Task Read_409_IsNotRetried()
    {
        var client = _cluster.CreateClient();
        _cluster.Server.Faults.FailNext(1, "get", "/secrets/s", 409);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.CoreV1.ReadNamespacedSecretAsync("s", "team-a"));

        Assert.True(error.IsConflict);
        Assert.Equal(1, _cluster.Server.Requests.Count("get", "secrets"));
    }

    [Fact]
    public async Task Create_429_IsRetriedBecauseTheServerDidNotProcessIt()
    {
        var client = _cluster.CreateClient();
        _cluster.Server.Faults.FailNext(1, "create", "/secrets", 429, retryAfter: TimeSpan.Zero);

        var created = await client.CreateSecretAsync(TestObjects.Secret("team-a", "after-429"));

        Assert.Equal("after-429", created.Metadata.Name);
        Assert.Equal(2, _cluster.Server.Requests.Count("create", "secrets"));
    }

    [Fact]
    public async Task Patch_429_IsRetriedWithTheSameBody()
    {
        var client = _cluster.CreateClient();
        var secret = await client.CoreV1.ReadNamespacedSecretAsync("s", "team-a");
        _cluster.Server.Faults.FailNext(1, "patch", "/secrets/s", 429, retryAfter: TimeSpan.Zero);

        var patched = await client.CoreV1.PatchNamespacedSecretAsync(new SecretPatch(secret).SetLabel("after", "429").ToPatch(), "s", "team-a");

        Assert.Equal("429", patched.Metadata.Labels["after"]);
        Assert.Equal(2, _cluster.Server.Requests.Count("patch", "secrets"));
    }

    [Fact]
    public async Task Read_ConnectionRefused_IsRetriedWithBackoffThenSurfaces()
    {
        var config = _cluster.Server.WriteKubeconfig(Path.Combine(_cluster.Directory.Path, "refused"));
        var live = _cluster.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        File.WriteAllText(config, File.ReadAllText(config).Replace(live, $"https://127.0.0.1:{FreePort()}", StringComparison.Ordinal));
        var options = KubeTestCluster.FastOptions();
        options.MaxRetries = 2;
        var log = new FakeLogger<KubeClientResilienceTests>();
        var refused = _cluster.CreateClient(options, kubeconfigPath: config, logger: log);

        await Assert.ThrowsAsync<HttpRequestException>(() => refused.CoreV1.ReadNamespacedSecretAsync("s", "team-a"));

        Assert.Equal(2, log.Collector.GetSnapshot().Count(r => r.Message.Contains("HttpRequestException); retry", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Read_SlowerThanTimeout_ThrowsTimeoutNamingTheSetting()
    {
        var time = new TimerAwareTimeProvider();
        var client = _cluster.CreateClient(timeProvider: time);
        _cluster.Server.Faults.AddLatency(TimeSpan.FromSeconds(2), "get", "/secrets/s");

        var read = client.CoreV1.ReadNamespacedSecretAsync("s", "team-a");
        await Eventually.WaitUntilAsync(() => time.PendingTimers().Contains(TimeSpan.FromSeconds(30)), "the 30 s call timeout is armed");
        time.Advance(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => read);
        Assert.Contains("Kube:Timeout", error.Message, StringComparison.Ordinal);
        _cluster.Server.Faults.Clear();
    }

    [Fact]
    public async Task RateLimiter_BurstSpent_QueuesFurtherRequestsUntilCancelled()
    {
        // Qps 0.001: one token every 1000 s, so nothing refills during the test; the bucket holds 3.
        var options = KubeTestCluster.FastOptions();
        options.Qps = 0.001;
        options.Burst = 3;
        var client = _cluster.CreateClient(options);
        using var stop = new CancellationTokenSource();

        var calls = Enumerable.Range(0, 5).Select(_ => client.CoreV1.ReadNamespacedSecretAsync("s", "team-a", cancellationToken: stop.Token)).ToList();

        await Eventually.WaitUntilAsync(() => calls.Count(c => c.IsCompletedSuccessfully) == 3, "the burst of three completes");
        Assert.Equal(3, _cluster.Server.Requests.Count("get", "secrets"));
        Assert.Equal(2, calls.Count(c => !c.IsCompleted));

        await stop.CancelAsync();
        foreach (var waiting in calls.Where(c => !c.IsCompletedSuccessfully))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        // The two queued calls never reached the server: they waited for a token, not for an answer.
        Assert.Equal(3, _cluster.Server.Requests.Count("get", "secrets"));
    }

    [Fact]
    public async Task RateLimiter_BurstSpent_HoldsRetriesToo()
    {
        // Every attempt takes a token: with a bucket of 2, a read answered 503 gets its first retry and no more.
        var options = KubeTestCluster.FastOptions();
        options.Qps = 0.001;
        options.Burst = 2;
        var client = _cluster.CreateClient(options);
        using var stop = new CancellationTokenSource();
        _cluster.Server.Faults.FailNext(5, "get", "/secrets/s", 503);

        var read = client.CoreV1.ReadNamespacedSecretAsync("s", "team-a", cancellationToken: stop.Token);

        await Eventually.WaitUntilAsync(() => _cluster.Server.Requests.Count("get", "secrets") == 2, "the call and one retry reach the server");
        Assert.False(read.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        Assert.Equal(2, _cluster.Server.Requests.Count("get", "secrets"));
    }

    [Theory]
    [InlineData(20, 30, 50, 1)]
    [InlineData(0.5, 1, 2000, 1)]
    [InlineData(1000, 10, 10, 10)]
    public void CreateLimiter_RefillsQpsTokensPerSecond(double qps, int burst, int periodMs, int tokensPerPeriod)
    {
        using var limiter = RateLimitHandler.CreateLimiter(qps, burst);

        Assert.Equal(TimeSpan.FromMilliseconds(periodMs), limiter.ReplenishmentPeriod);
        Assert.Equal(burst, limiter.GetStatistics()!.CurrentAvailablePermits);
        Assert.Equal(qps, tokensPerPeriod / limiter.ReplenishmentPeriod.TotalSeconds, 6);
    }

    private static void AssertCarriesNoSecretData(Exception error)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretValue));
        foreach (var text in new[] { error.Message, error.ToString() })
        {
            Assert.DoesNotContain(SecretValue, text, StringComparison.Ordinal);
            Assert.DoesNotContain(base64, text, StringComparison.Ordinal);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

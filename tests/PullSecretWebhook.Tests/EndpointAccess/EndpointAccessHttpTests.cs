using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PullSecretWebhook.EndpointAccess;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.EndpointAccess;

/// <summary><c>/status</c> and <c>/metrics</c> over HTTP on a server connected to the fake cluster, the two reviews
/// stubbed (README, "Who may read /status and /metrics"): status codes and JSON bodies, the open endpoints, the
/// modes. The reviews against a real API server are the end-to-end tier's (EndpointAccess/).</summary>
public sealed class EndpointAccessHttpTests : IAsyncLifetime, IDisposable
{
    private const string ReaderToken = "reader-token-0123456789";
    private const string OtherToken = "other-token-9876543210";
    private readonly StubAccessReviews _reviews = new StubAccessReviews()
        .WithUser(ReaderToken, "system:serviceaccount:monitoring:prometheus", "/metrics", "/status")
        .WithUser(OtherToken, "system:serviceaccount:team-a:default");
    private readonly FakeLoggerProvider _logs = new();
    private readonly List<string> _serviceAccountDirectories = [];
    private ReconcilerHarness _cluster = null!;

    public static TheoryData<string> Paths() => new() { "/metrics", "/status" };

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        foreach (var directory in _serviceAccountDirectories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public void Dispose() => _logs.Dispose();

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task NoToken_Is401_WithTheJsonErrorBody(string path)
    {
        using var client = Server().CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var body = await ErrorBodyAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Contains("bearer token", (string)body["message"]!, StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(0, _reviews.TokenReviews);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task AnotherScheme_IsNoToken_401(string path)
    {
        using var client = Server().CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwdw==");

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        await ErrorBodyAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal(0, _reviews.TokenReviews);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task UnknownToken_Is401(string path)
    {
        using var client = Client(Server(), "not-a-token");

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        await ErrorBodyAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal(1, _reviews.TokenReviews);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task TokenWithoutTheRole_Is403(string path)
    {
        using var client = Client(Server(), OtherToken);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var body = await ErrorBodyAsync(response, HttpStatusCode.Forbidden, "Forbidden");
        Assert.Contains($"\"{path}\"", (string)body["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenWithTheRole_Is200_ForBoth_AndReviewedOncePerPeriod()
    {
        using var client = Client(Server(), ReaderToken);

        for (var i = 0; i < 3; i++)
        {
            var status = JsonNode.Parse(await client.GetStringAsync(new Uri("/status", UriKind.Relative)))!;
            Assert.True((bool)status["connected"]!);
            Assert.Contains("pullsecret_webhook_", await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
        }

        Assert.Equal((1, 2), (_reviews.TokenReviews, _reviews.AccessReviews));
    }

    [Fact]
    public async Task ReviewedPath_IsTheRoute_NotWhatTheCallerTyped()
    {
        using var client = Client(Server(), ReaderToken);

        using var upper = await client.GetAsync(new Uri("/METRICS", UriKind.Relative));
        using var slash = await client.GetAsync(new Uri("/Status/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, upper.StatusCode);
        Assert.Equal(HttpStatusCode.OK, slash.StatusCode);
        Assert.Equal(["/metrics", "/status"], _reviews.AskedPaths);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task ReviewFailure_Is503_NeverTheAnswer(string path)
    {
        _reviews.Failing = true;
        using var client = Client(Server(), ReaderToken);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        await ErrorBodyAsync(response, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
    }

    [Fact]
    public async Task Probes_AndUnknownPaths_AskNothing()
    {
        using var client = Server().CreateClient();

        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri("/nothing-here", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(0, _reviews.TokenReviews);
    }

    [Fact]
    public async Task NoneInTheCluster_IsOpen_AndWarnedAboutAtStartUp()
    {
        using var client = InClusterServer("None").CreateClient();

        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var status = await client.GetAsync(new Uri("/status", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(0, _reviews.TokenReviews);
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Id.Id == 1701);
    }

    [Fact]
    public async Task DefaultInTheCluster_IsKubernetes_AndSaysSo()
    {
        using var client = InClusterServer(mode: null).CreateClient();

        using var response = await client.GetAsync(new Uri("/status", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Id.Id == 1700);
        Assert.DoesNotContain(_logs.Collector.GetSnapshot(), r => r.Id.Id == 1701);
    }

    [Fact]
    public async Task DefaultOutsideTheCluster_IsOpen_AndSaysWhy()
    {
        using var client = Server(mode: null).CreateClient();

        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var status = await client.GetAsync(new Uri("/status", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(0, _reviews.TokenReviews);
        var open = Assert.Single(_logs.Collector.GetSnapshot(), r => r.Id.Id == 1702);
        Assert.Contains("running outside the cluster, kubeconfig", open.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Collector.GetSnapshot(), r => r.Id.Id is 1700 or 1701);
    }

    [Fact]
    public async Task WithoutACluster_DefaultIsOpen_KubernetesStopsStartUp()
    {
        var logs = new FakeLoggerProvider();
        await using (var alone = new WebhookFactory(services: s => s.AddLogging(l => l.AddProvider(logs))))
        {
            using var client = alone.CreateClient();
            using var response = await client.GetAsync(new Uri("/status", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Id == 1702);
        }

        // The real program, as an operator starts it: an in-process test host that fails to start can surface its own
        // ObjectDisposedException instead of the reason (seen in CI, under load), which is not what this is about.
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(["--Observability:Authorization=Kubernetes", "--urls=https://127.0.0.1:0"], deadline: TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Observability:Authorization is Kubernetes but there is no Kubernetes connection", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_AtDebug_HoldNoToken()
    {
        var server = Server(settings: new() { ["Logging:LogLevel:Default"] = "Debug", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug" });
        foreach (var token in new[] { ReaderToken, OtherToken, "not-a-token-555" })
        {
            using var client = Client(server, token);
            using var response = await client.GetAsync(new Uri("/status", UriKind.Relative));
        }

        var records = _logs.Collector.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 1704); // the refusals were logged, without the token
        var text = string.Join('\n', records.Select(r => r.AllText()));
        foreach (var token in new[] { ReaderToken, OtherToken, "not-a-token-555" })
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }
    }

    private WebhookFactory Server(string? mode = "Kubernetes", Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? []) { ["Observability:Authorization"] = mode };
        return _cluster.StartServer(all, services: s =>
        {
            s.RemoveAll<IAccessReviews>();
            s.AddSingleton<IAccessReviews>(_reviews);
            s.AddLogging(l => l.AddProvider(_logs));
        });
    }

    /// <summary>A server configured as in a pod: no kubeconfig, KUBERNETES_SERVICE_HOST/PORT and a mounted service
    /// account (written by the fake), so its connection is in-cluster.</summary>
    private WebhookFactory InClusterServer(string? mode)
    {
        var serviceAccount = Path.Combine(Path.GetTempPath(), $"psw-sa-{Guid.NewGuid():N}");
        _cluster.Fake.WriteServiceAccountFiles(serviceAccount, ns: ReconcilerHarness.SourceNamespace);
        _serviceAccountDirectories.Add(serviceAccount);
        var settings = new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = null,
            ["KUBERNETES_SERVICE_HOST"] = _cluster.Fake.BaseAddress.Host,
            ["KUBERNETES_SERVICE_PORT"] = _cluster.Fake.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Observability:Authorization"] = mode,
        };
        return _cluster.StartServer(settings, services: s =>
        {
            s.RemoveAll<KubeEnvironment>();
            s.AddSingleton(sp =>
            {
                var configuration = sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
                return new KubeEnvironment(name => configuration[name], null, serviceAccount);
            });
            s.RemoveAll<IAccessReviews>();
            s.AddSingleton<IAccessReviews>(_reviews);
            s.AddLogging(l => l.AddProvider(_logs));
        });
    }

    private static HttpClient Client(WebhookFactory server, string token)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonObject> ErrorBodyAsync(HttpResponseMessage response, HttpStatusCode expected, string reason)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal((int)expected, (int)body["code"]!);
        Assert.Equal(reason, (string?)body["reason"]);
        Assert.False(string.IsNullOrEmpty((string?)body["message"]));
        return body;
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PullSecretWebhook.Reconciliation;
using PullSecretWebhook.Reconciliation.Events;
using PullSecretWebhook.Tests.Kube.Support;
using k8s.Models;

namespace PullSecretWebhook.Tests.Reconciliation.Events;

/// <summary>Events are a report: the same one (object, reason, message) at most once per
/// <c>Reconciler:EventInterval</c> — and a post the API server refused does not count as posted, so the next report
/// of the same problem posts it instead of staying silent for the interval.</summary>
public sealed class EventRecorderTests : IAsyncLifetime
{
    private const string Namespace = "psw-system";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly V1Secret _source = new() { Metadata = new V1ObjectMeta { Name = "vault", NamespaceProperty = Namespace, Uid = "uid-1" } };
    private KubeTestCluster _cluster = null!;
    private ServiceProvider _services = null!;
    private EventRecorder _recorder = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeTestCluster.StartAsync();
        var client = _cluster.CreateClient(timeProvider: _time);
        await client.CreateNamespaceAsync(Namespace);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _recorder = new EventRecorder(client, Options.Create(new ReconcilerOptions()), _time,
            new ReconcilerMetrics(_services.GetRequiredService<IMeterFactory>()), NullLogger<EventRecorder>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task SameEvent_WithinTheInterval_IsPostedOnce_AndAgainAfterIt()
    {
        Assert.True(await _recorder.WarnAsync(_source, "InvalidSource", "broken", CancellationToken.None));
        Assert.False(await _recorder.WarnAsync(_source, "InvalidSource", "broken", CancellationToken.None));
        Assert.Single(Events());

        _time.Advance(new ReconcilerOptions().EventInterval);

        Assert.True(await _recorder.WarnAsync(_source, "InvalidSource", "broken", CancellationToken.None));
        Assert.Equal(2, Events().Count);
    }

    [Fact]
    public async Task RefusedPost_IsNotCountedAsPosted_SoTheNextReportPostsIt()
    {
        _cluster.Server.Faults.FailNext(1, "create", "/events", 500);

        Assert.True(await _recorder.WarnAsync(_source, "InvalidSource", "broken", CancellationToken.None));
        Assert.Empty(Events());

        Assert.True(await _recorder.WarnAsync(_source, "InvalidSource", "broken", CancellationToken.None));
        Assert.Equal("broken", (string?)Assert.Single(Events())["message"]);
    }

    private IReadOnlyList<System.Text.Json.Nodes.JsonObject> Events() => _cluster.Server.Store.List("v1", "events", Namespace);
}

using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Observability;

namespace AdmissionCore.Benchmarks;

/// <summary>What recording one admission answer costs (<c>WebhookMetrics.AdmissionAnswered</c>: the requests counter
/// and the duration histogram, as <c>AdmissionEndpoint</c> records once per review) with the server's exporter
/// listening, wired by the product's own <c>AddObservability</c>; <see cref="AdmissionAnsweredNoListener"/> is the same
/// call with nothing listening, the floor of <c>System.Diagnostics.Metrics</c> itself.</summary>
[MemoryDiagnoser]
public class MetricsRecordingBenchmarks : IDisposable
{
    private static readonly TimeSpan Elapsed = TimeSpan.FromMicroseconds(180);
    private ServiceProvider _exported = null!;
    private ServiceProvider _unexported = null!;
    private WebhookMetrics _listened = null!;
    private WebhookMetrics _unlistened = null!;

    [GlobalSetup]
    public void Setup()
    {
        _exported = new ServiceCollection().AddObservability().BuildServiceProvider();
        _listened = ObservabilityEndpoints.StartExport(_exported);
        _unexported = new ServiceCollection().AddObservability().BuildServiceProvider();
        _unlistened = _unexported.GetRequiredService<WebhookMetrics>();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _exported.Dispose();
        _unexported.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public void AdmissionAnswered() => _listened.AdmissionAnswered(AdmissionOutcome.Injected, Elapsed);

    [Benchmark]
    public void AdmissionAnsweredNoListener() => _unlistened.AdmissionAnswered(AdmissionOutcome.Injected, Elapsed);
}

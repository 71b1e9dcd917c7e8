using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Observability;

namespace AdmissionCore.Benchmarks;

/// <summary>What recording one admission answer costs (<c>WebhookMetrics.AdmissionAnswered</c>: the requests counter
/// and the duration histogram, as <c>AdmissionEndpoint</c> records once per review) with the server's exporter
/// listening, wired by the product's own <c>AddObservability</c>; <see cref="AdmissionAnsweredNoListener"/> is the same
/// call with nothing listening, the floor of <c>System.Diagnostics.Metrics</c> itself, and
/// <see cref="AdmissionAnsweredMeterAdapter"/> the same call with prometheus-net's own <c>MeterAdapter</c> listening
/// instead (the adapter the product does not use; README, "Dependencies").</summary>
[MemoryDiagnoser]
public class MetricsRecordingBenchmarks : IDisposable
{
    private static readonly TimeSpan Elapsed = TimeSpan.FromMicroseconds(180);
    private ServiceProvider _exported = null!;
    private ServiceProvider _unexported = null!;
    private WebhookMetrics _listened = null!;
    private WebhookMetrics _unlistened = null!;
    private ServiceProvider _adapted = null!;
    private IDisposable _adapter = null!;
    private WebhookMetrics _adapterListened = null!;

    [GlobalSetup]
    public void Setup()
    {
        _exported = new ServiceCollection().AddObservability().BuildServiceProvider();
        _listened = ObservabilityEndpoints.StartExport(_exported);
        _unexported = new ServiceCollection().AddObservability().BuildServiceProvider();
        _unlistened = _unexported.GetRequiredService<WebhookMetrics>();
        _adapted = new ServiceCollection().AddObservability().BuildServiceProvider();
        var scope = _adapted.GetRequiredService<IMeterFactory>();
        var registry = Metrics.NewCustomRegistry();
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = registry,
            MetricFactory = Metrics.WithCustomRegistry(registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter.Scope, scope),
            ResolveHistogramBuckets = instrument => ((Histogram<double>)instrument).Advice!.HistogramBucketBoundaries!.ToArray(),
        });
        _adapterListened = _adapted.GetRequiredService<WebhookMetrics>();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _exported.Dispose();
        _unexported.Dispose();
        _adapter.Dispose();
        _adapted.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public void AdmissionAnswered() => _listened.AdmissionAnswered(AdmissionOutcome.Injected, Elapsed);

    [Benchmark]
    public void AdmissionAnsweredNoListener() => _unlistened.AdmissionAnswered(AdmissionOutcome.Injected, Elapsed);

    [Benchmark]
    public void AdmissionAnsweredMeterAdapter() => _adapterListened.AdmissionAnswered(AdmissionOutcome.Injected, Elapsed);
}

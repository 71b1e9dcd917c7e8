using System.Diagnostics.Metrics;
using System.Text;
using Prometheus;

namespace PullSecretWebhook.Tests.Observability;

/// <summary>What prometheus-net's <c>MeterAdapter</c> (8.2.1) does with our instruments, and so why
/// <c>Observability/PrometheusBridge</c> exists: shown on the real adapter
/// (<see cref="MeterAdapter.StartListening(MeterAdapterOptions)"/>) rather than asserted in prose. Fed instruments named
/// and tagged as the product's, it puts the meter's name, lower-cased with <c>.</c> turned into <c>_</c>, in front of
/// every metric name; publishes a <c>Counter</c> and an <c>ObservableCounter</c> as <c>gauge</c> without <c>_total</c>;
/// appends the unit and the instrument's CLR type name to HELP; ignores a histogram's bucket advice (its own default
/// buckets start at 0.01, so sub-10 ms admission latencies share one bucket); and adds a
/// <c>prometheus_net_meteradapter_instruments_connected</c> gauge of its own to the registry. Setting only
/// <see cref="MeterAdapterOptions.Registry"/> is not enough: <see cref="MeterAdapterOptions.MetricFactory"/> defaults to
/// <see cref="Metrics.DefaultFactory"/>, so the metrics land in <see cref="Metrics.DefaultRegistry"/> (which the product
/// never serves) and the chosen registry gets only the adapter's own gauge. Each series is also unpublished once not
/// updated for <see cref="MeterAdapterOptions.MetricsExpireAfter"/> (5 minutes by default); that is done by a
/// background reaper on the real clock with no public seam, so it is not shown here (only the default is). If a later
/// prometheus-net changes any of this, a test here fails and says which promise of README "Dependencies" to revisit.
/// <para>Each test starts its own adapter on a private registry, filtered to a meter of its own, and disposes the
/// adapter, so no other test's meter is seen and no listener outlives the test.</para></summary>
public sealed class PrometheusMeterAdapterEvidenceTests : IDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly Meter _meter;
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();

    static PrometheusMeterAdapterEvidenceTests()
    {
        // One test collects Metrics.DefaultRegistry: its first collection must not start prometheus-net's process-wide
        // defaults (among them a meter adapter on every meter of the process), whichever test class runs first.
        Metrics.SuppressDefaultMetrics();
    }

    public PrometheusMeterAdapterEvidenceTests()
    {
        _meter = new Meter(MeterName);
    }

    /// <summary>A meter name like the product's (<c>PullSecretWebhook</c>), unique to this test.</summary>
    private string MeterName => "PullSecretWebhook.Evidence" + _id;

    /// <summary>What the adapter puts in front of every metric name for <see cref="MeterName"/>.</summary>
    private string Prefix => "pullsecretwebhook_evidence" + _id + "_";

    public void Dispose() => _meter.Dispose();

    [Fact]
    public async Task MeterAdapter_Counter_IsPrefixedWithTheMeterNameAndPublishedAsAGaugeWithoutTotal()
    {
        using var adapter = MeterAdapter.StartListening(Options(intoRegistry: true));
        var counter = _meter.CreateCounter<long>("pullsecret_webhook_admission_requests", description: "Admission reviews answered.");
        counter.Add(2, new("result", "injected"), new("reason", "matched"));
        counter.Add(3, new("result", "injected"), new("reason", "matched"));

        var text = await CollectAsync(_registry);

        var name = Prefix + "pullsecret_webhook_admission_requests";
        Assert.Contains($"# HELP {name} Admission reviews answered. (Counter`1)\n# TYPE {name} gauge\n", text, StringComparison.Ordinal);
        Assert.Contains($"{name}{{reason=\"matched\",result=\"injected\"}} 5\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" counter\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\npullsecret_webhook_admission_requests", "\n" + text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeterAdapter_ObservableCounter_IsAGaugeWithoutTotalToo()
    {
        using var adapter = MeterAdapter.StartListening(Options(intoRegistry: true));
        _meter.CreateObservableCounter("process_cpu_seconds", () => 1.5, description: "Total user and system CPU time spent in seconds.");

        var text = await CollectAsync(_registry);

        var name = Prefix + "process_cpu_seconds";
        Assert.Contains($"# TYPE {name} gauge\n{name} 1.5\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeterAdapter_Histogram_IgnoresBucketAdviceAndTagsHelpWithUnitAndType()
    {
        using var adapter = MeterAdapter.StartListening(Options(intoRegistry: true));
        var histogram = _meter.CreateHistogram(
            "pullsecret_webhook_admission_duration_seconds",
            unit: "s",
            description: "Time to answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1] });
        histogram.Record(0.0005, new KeyValuePair<string, object?>("result", "injected"));

        var text = await CollectAsync(_registry);

        var name = Prefix + "pullsecret_webhook_admission_duration_seconds";
        Assert.Contains($"# HELP {name} (s) Time to answer. (Histogram`1)\n# TYPE {name} histogram\n", text, StringComparison.Ordinal);
        var bounds = text.Split('\n')
            .Where(line => line.StartsWith(name + "_bucket{", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..line.LastIndexOf('"')])
            .ToArray();
        // MeterAdapterOptions.DefaultHistogramBuckets: 0.01 × 2^n for n = 0..24, then +Inf; none of the advised bounds.
        Assert.Equal(26, bounds.Length);
        Assert.Equal("0.01", bounds[0]);
        Assert.Equal("0.02", bounds[1]);
        Assert.Equal("+Inf", bounds[^1]);
        Assert.DoesNotContain("0.001", bounds);
        Assert.DoesNotContain("0.1", bounds);
        Assert.Contains($"{name}_bucket{{result=\"injected\",le=\"0.01\"}} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeterAdapter_AddsAnInstrumentsConnectedGaugeOfItsOwnToTheRegistry()
    {
        using var adapter = MeterAdapter.StartListening(Options(intoRegistry: true));
        _meter.CreateCounter<long>("pullsecret_webhook_one");
        _meter.CreateCounter<long>("pullsecret_webhook_two");

        var text = await CollectAsync(_registry);

        Assert.Contains("# TYPE prometheus_net_meteradapter_instruments_connected gauge\nprometheus_net_meteradapter_instruments_connected 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MeterAdapterOptions_Defaults_AreTheDefaultFactoryAndFiveMinuteExpiry()
    {
        var options = new MeterAdapterOptions();

        Assert.Same(Metrics.DefaultRegistry, options.Registry);
        Assert.Same(Metrics.DefaultFactory, options.MetricFactory);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MetricsExpireAfter);
    }

    [Fact]
    public async Task MeterAdapter_RegistryWithoutMetricFactory_PublishesIntoTheDefaultRegistry()
    {
        var options = Options(intoRegistry: false);
        options.Registry = _registry;
        using var adapter = MeterAdapter.StartListening(options);
        var counter = _meter.CreateCounter<long>("pullsecret_webhook_admission_requests");
        counter.Add(7, new KeyValuePair<string, object?>("result", "injected"));

        var custom = await CollectAsync(_registry);
        var global = await CollectAsync(Metrics.DefaultRegistry);

        var name = Prefix + "pullsecret_webhook_admission_requests";
        Assert.DoesNotContain(name, custom, StringComparison.Ordinal);
        Assert.Contains("prometheus_net_meteradapter_instruments_connected 1\n", custom, StringComparison.Ordinal);
        Assert.Contains($"{name}{{result=\"injected\"}} 7\n", global, StringComparison.Ordinal);
    }

    /// <summary>Only this test's meter; with <paramref name="intoRegistry"/>, metrics created in this test's registry
    /// (both options are needed for that, see <see cref="MeterAdapter_RegistryWithoutMetricFactory_PublishesIntoTheDefaultRegistry"/>).</summary>
    private MeterAdapterOptions Options(bool intoRegistry)
    {
        var meter = _meter;
        var options = new MeterAdapterOptions { InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, meter) };
        if (intoRegistry)
        {
            options.Registry = _registry;
            options.MetricFactory = Metrics.WithCustomRegistry(_registry);
        }

        return options;
    }

    private static async Task<string> CollectAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PullSecretWebhook.Observability;

namespace PullSecretWebhook.Tests.Observability;

/// <summary>What the bridge decides (names, types, labels, buckets, which series exist), read back as the text
/// prometheus-net serves; the text format itself is prometheus-net's.</summary>
public sealed partial class PrometheusBridgeTests : IDisposable
{
    private readonly string _meterName = "test." + Guid.NewGuid().ToString("N");
    private readonly Meter _meter;
    private readonly PrometheusBridge _bridge;

    public PrometheusBridgeTests()
    {
        _meter = new Meter(_meterName);
        _bridge = new PrometheusBridge([_meterName], scope: null);
    }

    public void Dispose()
    {
        _bridge.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public async Task Counter_HasTotalSuffixCounterTypeAndSumsPerLabelSet()
    {
        var counter = _meter.CreateCounter<long>("app_requests", description: "Requests served.");
        counter.Add(2, new KeyValuePair<string, object?>("result", "ok"));
        counter.Add(3, new KeyValuePair<string, object?>("result", "ok"));
        counter.Add(1, new KeyValuePair<string, object?>("result", "error"));

        var text = await CollectAsync();

        Assert.Contains("# HELP app_requests_total Requests served.\n# TYPE app_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("app_requests_total{result=\"error\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("app_requests_total{result=\"ok\"} 5\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelOrder_IsOrdinalAndDoesNotSplitSeries()
    {
        var counter = _meter.CreateCounter<long>("ordered");
        counter.Add(1, new KeyValuePair<string, object?>("b", "2"), new KeyValuePair<string, object?>("a", "1"));
        counter.Add(1, new KeyValuePair<string, object?>("a", "1"), new KeyValuePair<string, object?>("b", "2"));

        var text = await CollectAsync();

        Assert.Contains("ordered_total{a=\"1\",b=\"2\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Histogram_UsesBucketAdviceWithCumulativeBucketsSumAndCount()
    {
        var histogram = _meter.CreateHistogram("latency", unit: "s", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1] });
        histogram.Record(0.0005);
        histogram.Record(0.001); // on a bound: counted in that bucket (le = less than or equal)
        histogram.Record(0.05);
        histogram.Record(3);

        var text = await CollectAsync();

        Assert.Contains("# TYPE latency_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Equal([("0.001", 2), ("0.01", 2), ("0.1", 3), ("+Inf", 4)], Buckets(text, "latency_seconds"));
        Assert.Contains("latency_seconds_count 4\n", text, StringComparison.Ordinal);
        var sum = double.Parse(SumValue().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(3.0515, sum, 9);
    }

    [Fact]
    public async Task Histogram_WithoutAdvice_HasThePrometheusClientDefaultBuckets()
    {
        _meter.CreateHistogram<long>("sizes").Record(100);

        var bounds = Buckets(await CollectAsync(), "sizes").Select(b => b.Le).ToArray();

        Assert.Equal(["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"], bounds);
    }

    [Fact]
    public async Task HistogramWithLabels_PutsLeLast()
    {
        var histogram = _meter.CreateHistogram("h", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1] });
        histogram.Record(0.5, new KeyValuePair<string, object?>("result", "ok"));

        var text = await CollectAsync();

        Assert.Contains("h_bucket{result=\"ok\",le=\"1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("h_sum{result=\"ok\"} 0.5\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelValues_EscapeBackslashQuoteAndNewline()
    {
        _meter.CreateCounter<long>("escaped").Add(1, new KeyValuePair<string, object?>("path", "a\\b\"c\nd"));

        var text = await CollectAsync();

        Assert.Contains("escaped_total{path=\"a\\\\b\\\"c\\nd\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObservableGauge_ReportsOnlyCurrentObservations()
    {
        var states = new List<Measurement<long>> { new(3, new KeyValuePair<string, object?>("state", "UpToDate")), new(1, new KeyValuePair<string, object?>("state", "Conflict")) };
        _meter.CreateObservableGauge("namespaces", () => states);

        var first = await CollectAsync();
        states.RemoveAt(1);
        var second = await CollectAsync();

        Assert.Contains("namespaces{state=\"Conflict\"} 1\n", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Conflict", second, StringComparison.Ordinal);
        Assert.Contains("namespaces{state=\"UpToDate\"} 3\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObservableGaugeWithoutLabels_IsAbsentWhileItReportsNothing()
    {
        double? age = null;
        _meter.CreateObservableGauge("age", () => age is { } a ? [new Measurement<double>(a)] : Array.Empty<Measurement<double>>(), unit: "s");

        var before = await CollectAsync();
        age = 2.5;
        var during = await CollectAsync();
        age = null;
        var after = await CollectAsync();
        age = 4;
        var again = await CollectAsync();

        Assert.DoesNotContain("age_seconds", before, StringComparison.Ordinal);
        Assert.Contains("age_seconds 2.5\n", during, StringComparison.Ordinal);
        // prometheus-net keeps the family's HELP and TYPE lines; what matters to Prometheus is that no sample is left.
        Assert.DoesNotContain("\nage_seconds ", after, StringComparison.Ordinal);
        Assert.Contains("# TYPE age_seconds gauge\n", after, StringComparison.Ordinal);
        Assert.Contains("age_seconds 4\n", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObservableCounter_IsACounterAtTheObservedValue()
    {
        var seconds = 1.5;
        _meter.CreateObservableCounter("cpu_seconds", () => seconds);

        var first = await CollectAsync();
        seconds = 2.25;
        var second = await CollectAsync();

        Assert.Contains("# TYPE cpu_seconds_total counter\n", first, StringComparison.Ordinal);
        Assert.Contains("cpu_seconds_total 1.5\n", first, StringComparison.Ordinal);
        Assert.Contains("cpu_seconds_total 2.25\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryLine_MatchesTheTextFormatGrammar()
    {
        _meter.CreateCounter<double>("c").Add(1.5, new KeyValuePair<string, object?>("k", "v"));
        _meter.CreateUpDownCounter<int>("queue_depth").Add(-2);
        _meter.CreateHistogram<long>("sizes").Record(100);

        var lines = (await CollectAsync()).TrimEnd('\n').Split('\n');

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(LineGrammar(), line));
        Assert.Contains("queue_depth -2", lines);
        Assert.Contains("# TYPE queue_depth gauge", lines);
    }

    [Fact]
    public async Task OtherMeters_AreNotExported()
    {
        using var other = new Meter("someone.else." + Guid.NewGuid().ToString("N"));
        other.CreateCounter<long>("foreign").Add(1);
        _meter.CreateCounter<long>("own").Add(1);

        var text = await CollectAsync();

        Assert.Contains("own_total 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("foreign", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_HoldsNoneOfPrometheusNetsDefaultMetrics()
    {
        _meter.CreateCounter<long>("own").Add(1);

        var names = (await CollectAsync()).Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).ToArray();

        Assert.Equal(["# TYPE own_total counter"], names);
    }

    [Fact]
    public async Task TwoBridges_OnOneMeterName_SeeOnlyTheirOwnFactorysMeters()
    {
        using var firstFactory = new TestMeterFactory();
        using var secondFactory = new TestMeterFactory();
        using var first = new PrometheusBridge([_meterName], firstFactory);
        using var second = new PrometheusBridge([_meterName], secondFactory);
        firstFactory.Create(_meterName).CreateCounter<long>("hits").Add(1);
        secondFactory.Create(_meterName).CreateCounter<long>("hits").Add(5);

        Assert.Contains("hits_total 1\n", await CollectAsync(first), StringComparison.Ordinal);
        Assert.Contains("hits_total 5\n", await CollectAsync(second), StringComparison.Ordinal);
    }

    /// <summary>prometheus-net attaches the current trace (an Activity, which ASP.NET Core starts for every request) to
    /// each measurement as an exemplar, served to OpenMetrics scrapers. No tracer records the API server's calls, so
    /// those would be ids nobody can look up, at about 0.3 µs a review: the bridge turns exemplars off.</summary>
    [Fact]
    public async Task Exemplars_AreNotPublished_EvenWithinATrace()
    {
        var histogram = _meter.CreateHistogram("latency", unit: "s", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1] });
        var counter = _meter.CreateCounter<long>("served");
        using (var activity = new System.Diagnostics.Activity("request").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start())
        {
            activity.ActivityTraceFlags = System.Diagnostics.ActivityTraceFlags.Recorded;
            histogram.Record(0.05);
            counter.Add(1);
        }

        using var stream = new MemoryStream();
        await _bridge.Registry.CollectAndExportAsTextAsync(stream, Prometheus.ExpositionFormat.OpenMetricsText);
        var text = Encoding.UTF8.GetString(stream.ToArray());

        Assert.Contains("latency_seconds_count 1", text, StringComparison.Ordinal);
        Assert.Contains("served_total 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("trace_id", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" # {", text, StringComparison.Ordinal);
    }

    private Task<string> CollectAsync() => CollectAsync(_bridge);

    private static async Task<string> CollectAsync(PrometheusBridge bridge)
    {
        using var stream = new MemoryStream();
        await bridge.Registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static List<(string Le, long Count)> Buckets(string text, string name) =>
        [.. text.Split('\n')
            .Select(line => BucketLine().Match(line))
            .Where(m => m.Success && m.Groups[1].Value == name)
            .Select(m => (m.Groups[2].Value, long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))];

    [GeneratedRegex("""^latency_seconds_sum (\S+)$""", RegexOptions.Multiline)]
    private static partial Regex SumValue();

    [GeneratedRegex("""^([a-z_]+)_bucket\{(?:.*,)?le="([^"]+)"\} (\d+)$""")]
    private static partial Regex BucketLine();

    /// <summary>A comment line, or <c>name{label="value",...} number</c>.</summary>
    [GeneratedRegex("""^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*")*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN))$""")]
    private static partial Regex LineGrammar();

    /// <summary>A meter factory of its own, as each host has one.</summary>
    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}

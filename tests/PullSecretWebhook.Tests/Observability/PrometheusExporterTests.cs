using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using PullSecretWebhook.Observability;

namespace PullSecretWebhook.Tests.Observability;

/// <summary>The exporter against the rules of the Prometheus text format 0.0.4.</summary>
public sealed partial class PrometheusExporterTests : IDisposable
{
    private readonly string _meterName = "test." + Guid.NewGuid().ToString("N");
    private readonly Meter _meter;
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterTests()
    {
        _meter = new Meter(_meterName);
        _exporter = new PrometheusExporter([_meterName], scope: null);
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void Collect_Counter_HasTotalSuffixTypeHelpAndSumsPerLabelSet()
    {
        var counter = _meter.CreateCounter<long>("app.requests", description: "Requests served.");
        counter.Add(2, new KeyValuePair<string, object?>("result", "ok"));
        counter.Add(3, new KeyValuePair<string, object?>("result", "ok"));
        counter.Add(1, new KeyValuePair<string, object?>("result", "error"));

        var text = _exporter.Collect();

        Assert.Contains("# HELP app_requests_total Requests served.\n# TYPE app_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("app_requests_total{result=\"error\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("app_requests_total{result=\"ok\"} 5\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_LabelOrder_DoesNotSplitSeries()
    {
        var counter = _meter.CreateCounter<long>("ordered");
        counter.Add(1, new KeyValuePair<string, object?>("a", "1"), new KeyValuePair<string, object?>("b", "2"));
        counter.Add(1, new KeyValuePair<string, object?>("b", "2"), new KeyValuePair<string, object?>("a", "1"));

        var text = _exporter.Collect();

        Assert.Contains("ordered_total{a=\"1\",b=\"2\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_Histogram_HasCumulativeBucketsInfSumAndCount()
    {
        var histogram = _meter.CreateHistogram("latency", unit: "s", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1] });
        histogram.Record(0.0005);
        histogram.Record(0.001); // on a bound: counted in that bucket (le = less than or equal)
        histogram.Record(0.05);
        histogram.Record(3);

        var text = _exporter.Collect();

        Assert.Contains("# TYPE latency_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{le=\"0.001\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{le=\"0.01\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{le=\"0.1\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{le=\"+Inf\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_count 4\n", text, StringComparison.Ordinal);
        var sum = double.Parse(SumValue().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(3.0515, sum, 9);
    }

    [Fact]
    public void Collect_HistogramWithLabels_PutsLeLast()
    {
        var histogram = _meter.CreateHistogram("h", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1] });
        histogram.Record(0.5, new KeyValuePair<string, object?>("result", "ok"));

        var text = _exporter.Collect();

        Assert.Contains("h_bucket{result=\"ok\",le=\"1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("h_sum{result=\"ok\"} 0.5\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_LabelValues_EscapeBackslashQuoteAndNewline()
    {
        _meter.CreateCounter<long>("escaped").Add(1, new KeyValuePair<string, object?>("path", "a\\b\"c\nd"));

        var text = _exporter.Collect();

        Assert.Contains("escaped_total{path=\"a\\\\b\\\"c\\nd\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_Help_EscapesBackslashAndNewlineButNotQuotes()
    {
        _meter.CreateCounter<long>("helped", description: "line1\nsays \"hi\" \\ bye").Add(1);

        var text = _exporter.Collect();

        Assert.Contains("# HELP helped_total line1\\nsays \"hi\" \\\\ bye\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_InvalidCharactersInNames_AreReplaced()
    {
        _meter.CreateCounter<long>("9http.server-requests").Add(1, new KeyValuePair<string, object?>("http.method", "GET"));

        var text = _exporter.Collect();

        Assert.Contains("_9http_server_requests_total{http_method=\"GET\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_ObservableGauge_ReportsOnlyCurrentObservations()
    {
        var states = new List<Measurement<long>> { new(3, new KeyValuePair<string, object?>("state", "UpToDate")), new(1, new KeyValuePair<string, object?>("state", "Conflict")) };
        _meter.CreateObservableGauge("namespaces", () => states);

        var first = _exporter.Collect();
        states.RemoveAt(1);
        var second = _exporter.Collect();

        Assert.Contains("namespaces{state=\"Conflict\"} 1\n", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Conflict", second, StringComparison.Ordinal);
        Assert.Contains("namespaces{state=\"UpToDate\"} 3\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_EveryLine_MatchesTheTextFormatGrammar()
    {
        _meter.CreateCounter<double>("c").Add(1.5, new KeyValuePair<string, object?>("k", "v"));
        _meter.CreateUpDownCounter<int>("queue_depth").Add(-2);
        _meter.CreateHistogram<long>("sizes").Record(100);

        var lines = _exporter.Collect().TrimEnd('\n').Split('\n');

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(LineGrammar(), line));
        Assert.Contains("queue_depth -2", lines);
        Assert.Contains("# TYPE queue_depth gauge", lines);
    }

    [Fact]
    public void Collect_OtherMeters_AreNotExported()
    {
        using var other = new Meter("someone.else." + Guid.NewGuid().ToString("N"));
        other.CreateCounter<long>("foreign").Add(1);

        Assert.DoesNotContain("foreign", _exporter.Collect(), StringComparison.Ordinal);
    }

    [GeneratedRegex("""^latency_seconds_sum (\S+)$""", RegexOptions.Multiline)]
    private static partial Regex SumValue();

    /// <summary>A comment line, or <c>name{label="value",...} number</c>.</summary>
    [GeneratedRegex("""^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*")*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN))$""")]
    private static partial Regex LineGrammar();
}

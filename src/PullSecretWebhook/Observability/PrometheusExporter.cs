using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace PullSecretWebhook.Observability;

/// <summary>Exports <see cref="System.Diagnostics.Metrics"/> instruments of the given meters in the Prometheus text
/// format. No Prometheus client package is available to this project, and the format is small: counters become
/// <c>counter</c> (with <c>_total</c>), histograms <c>histogram</c> with cumulative buckets, everything else
/// <c>gauge</c>. Observable instruments are read at scrape time.</summary>
internal sealed class PrometheusExporter : IDisposable
{
    /// <summary>Used when an instrument gives no bucket advice: Prometheus client defaults.</summary>
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly Lock _collectLock = new();

    /// <param name="meterNames">The meters to export.</param>
    /// <param name="scope">Only meters created by this factory (a MeterListener sees every meter of the process,
    /// and several hosts may live in one process, as in tests); null for any.</param>
    public PrometheusExporter(IEnumerable<string> meterNames, IMeterFactory? scope)
    {
        var meters = meterNames.ToHashSet(StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meters.Contains(instrument.Meter.Name) && (scope is null || ReferenceEquals(instrument.Meter.Scope, scope)))
            {
                var state = _instruments.GetOrAdd(instrument, static i => new InstrumentState(i, BucketsOf(i)));
                listener.EnableMeasurementEvents(instrument, state);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out var _);
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and renders every series, sorted for stable output.</summary>
    public string Collect()
    {
        var output = new StringBuilder(4096);
        lock (_collectLock)
        {
            foreach (var state in _instruments.Values)
            {
                if (state.IsObservable)
                {
                    state.Series.Clear();
                }
            }

            _listener.RecordObservableInstruments();
            var families = _instruments.Values
                .Select(state => (Name: PrometheusText.MetricName(state.Instrument.Name, state.Instrument.Unit, state.Type == "counter"), State: state))
                .OrderBy(f => f.Name, StringComparer.Ordinal);
            foreach (var (name, state) in families)
            {
                WriteFamily(output, name, state);
            }
        }

        return output.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static void WriteFamily(StringBuilder output, string name, InstrumentState state)
    {
        if (state.Series.IsEmpty)
        {
            return;
        }

        if (!string.IsNullOrEmpty(state.Instrument.Description))
        {
            output.Append("# HELP ").Append(name).Append(' ').Append(PrometheusText.EscapeHelp(state.Instrument.Description)).Append('\n');
        }

        output.Append("# TYPE ").Append(name).Append(' ').Append(state.Type).Append('\n');
        var series = state.Series
            .Select(pair => (Labels: Labels(pair.Key), Series: pair.Value))
            .OrderBy(s => s.Labels, StringComparer.Ordinal);
        foreach (var (labels, value) in series)
        {
            var (sum, count, buckets) = value.Snapshot();
            if (value.BucketBounds is not { } bounds)
            {
                output.Append(name).Append(Braced(labels)).Append(' ').Append(PrometheusText.Number(sum)).Append('\n');
                continue;
            }

            for (var i = 0; i <= bounds.Length; i++)
            {
                var le = i < bounds.Length ? PrometheusText.Number(bounds[i]) : "+Inf";
                var bucketLabels = labels.Length == 0 ? $"le=\"{le}\"" : $"{labels},le=\"{le}\"";
                output.Append(name).Append("_bucket{").Append(bucketLabels).Append("} ").Append(buckets[i]).Append('\n');
            }

            output.Append(name).Append("_sum").Append(Braced(labels)).Append(' ').Append(PrometheusText.Number(sum)).Append('\n');
            output.Append(name).Append("_count").Append(Braced(labels)).Append(' ').Append(count).Append('\n');
        }
    }

    private static string Braced(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

    private static string Labels(TagSet tags)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < tags.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(PrometheusText.LabelName(tags[i].Key)).Append("=\"");
            PrometheusText.AppendLabelValue(builder, tags[i].Value);
            builder.Append('"');
        }

        return builder.ToString();
    }

    private static double[]? BucketsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBuckets,
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? DefaultBuckets,
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? DefaultBuckets,
        _ => null,
    };

    private sealed class InstrumentState(Instrument instrument, double[]? buckets)
    {
        public Instrument Instrument { get; } = instrument;
        public ConcurrentDictionary<TagSet, MetricSeries> Series { get; } = new();
        public bool IsObservable { get; } = instrument.IsObservable;

        public string Type { get; } = instrument switch
        {
            _ when buckets is not null => "histogram",
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => "counter",
            _ => "gauge",
        };

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var series = Series.GetOrAdd(new TagSet(tags), static (_, bounds) => new MetricSeries(bounds), buckets);
            if (buckets is not null)
            {
                series.Record(value);
            }
            else if (IsObservable)
            {
                series.Set(value);
            }
            else
            {
                series.Add(value);
            }
        }
    }
}

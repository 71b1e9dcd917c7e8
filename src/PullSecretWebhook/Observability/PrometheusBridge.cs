using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Prometheus;

namespace PullSecretWebhook.Observability;

/// <summary>Publishes the <see cref="System.Diagnostics.Metrics"/> instruments of the given meters as prometheus-net
/// collectors in a registry of this host's own, which prometheus-net.AspNetCore serves on <c>/metrics</c>. prometheus-net
/// does the aggregation, the histogram buckets, the escaping and the text format; this class only says which collector
/// each instrument is: counters become <c>counter</c> (with <c>_total</c>), histograms <c>histogram</c> with the
/// instrument's bucket advice (else the Prometheus client defaults), everything else <c>gauge</c>; a unit of <c>s</c>,
/// <c>ms</c> or <c>By</c> is appended to the name the way OpenTelemetry's Prometheus mapping does. Observable instruments
/// are read when the registry is collected, and a series an observable instrument no longer reports is removed.
/// <para>prometheus-net's own <c>MeterAdapter</c> (8.2.1) is not used: it prefixes the meter's name to every metric,
/// publishes counters as gauges without <c>_total</c>, and unpublishes any series not updated for
/// <c>MetricsExpireAfter</c>, so the names and types the README documents would change and idle counters would vanish
/// (README, "Dependencies"; tests/PullSecretWebhook.Tests/Observability/PrometheusMeterAdapterEvidenceTests.cs shows it
/// on the real adapter, which also ignores bucket advice).</para></summary>
internal sealed class PrometheusBridge : IDisposable
{
    /// <summary>Used when a histogram gives no bucket advice: the Prometheus client defaults.</summary>
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly MetricFactory _factory;
    private readonly ConcurrentDictionary<Instrument, InstrumentBinding> _observables = new();
    private readonly Lock _collectLock = new();
    private volatile bool _disposed;

    static PrometheusBridge()
    {
        // The product never serves Metrics.DefaultRegistry; should anything collect it, it still must not start
        // prometheus-net's process-wide defaults (process and .NET runtime collectors, an EventCounter and a meter
        // adapter listening to every meter of the process, debug metrics).
        Metrics.SuppressDefaultMetrics();
    }

    /// <param name="meterNames">The meters to publish.</param>
    /// <param name="scope">Only meters created by this factory (a MeterListener sees every meter of the process, and
    /// several hosts may live in one process, as in tests); null for any.</param>
    public PrometheusBridge(IEnumerable<string> meterNames, IMeterFactory? scope)
    {
        Registry = Metrics.NewCustomRegistry();
        _factory = Metrics.WithCustomRegistry(Registry);
        // prometheus-net would attach the current Activity (ASP.NET Core starts one per request) to every measurement
        // as an exemplar: ids of traces no tracer records, served to OpenMetrics scrapers, at about 0.3 µs per review
        // (PrometheusBridgeTests.Exemplars_AreNotPublished_EvenWithinATrace).
        _factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        var meters = meterNames.ToHashSet(StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meters.Contains(instrument.Meter.Name) && (scope is null || ReferenceEquals(instrument.Meter.Scope, scope)))
            {
                var binding = new InstrumentBinding(instrument, _factory);
                if (instrument.IsObservable)
                {
                    _observables[instrument] = binding;
                }

                listener.EnableMeasurementEvents(instrument, binding);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _observables.TryRemove(instrument, out var _);
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentBinding)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentBinding)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentBinding)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentBinding)state!).Record(value, tags));
        _listener.Start();
        Registry.AddBeforeCollectCallback(ReadObservables);
    }

    /// <summary>This host's registry: only its own instruments, none of prometheus-net's default collectors.</summary>
    public CollectorRegistry Registry { get; }

    public void Dispose()
    {
        // A registry cannot drop a before-collect callback: ReadObservables turns into a no-op instead.
        _disposed = true;
        _listener.Dispose();
    }

    private void ReadObservables()
    {
        if (_disposed)
        {
            return;
        }

        lock (_collectLock)
        {
            foreach (var binding in _observables.Values)
            {
                binding.BeginObservation();
            }

            _listener.RecordObservableInstruments();
            foreach (var binding in _observables.Values)
            {
                binding.EndObservation();
            }
        }
    }

    internal static string MetricName(string instrumentName, string? unit, bool isCounter)
    {
        var name = instrumentName;
        var unitSuffix = unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "",
        };
        if (unitSuffix.Length > 0 && !name.EndsWith(unitSuffix, StringComparison.Ordinal))
        {
            name += unitSuffix;
        }

        if (isCounter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    /// <summary>One instrument and its collector, created at the first measurement: its label names are the
    /// measurement's tag keys in ordinal order (the instrument API declares none up front). A later measurement with
    /// other keys is dropped, as one collector cannot hold two label sets.</summary>
    private sealed class InstrumentBinding(Instrument instrument, MetricFactory factory)
    {
        private readonly Lock _createLock = new();
        private readonly bool _isCounter = instrument is Counter<long> or Counter<int> or Counter<double> or Counter<float>;
        private readonly bool _isObservableCounter = instrument is ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> or ObservableCounter<float>;
        private readonly double[]? _buckets = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBuckets,
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? DefaultBuckets,
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? DefaultBuckets,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? DefaultBuckets,
            _ => null,
        };

        private volatile Bound? _bound;
        private HashSet<LabelValues>? _observed;

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var (collector, labelNames) = _bound ?? Create(tags);
            if (tags.Length != labelNames.Length)
            {
                return;
            }

            var rented = tags.Length == 0 ? [] : ArrayPool<string>.Shared.Rent(tags.Length);
            try
            {
                var values = rented.AsSpan(0, tags.Length);
                if (!Fill(labelNames, tags, values))
                {
                    return;
                }

                switch (collector)
                {
                    case Prometheus.Histogram histogram:
                        histogram.WithLabels(values).Observe(value);
                        break;
                    case Prometheus.Counter counter when _isObservableCounter:
                        counter.WithLabels(values).IncTo(value);
                        break;
                    case Prometheus.Counter counter when value >= 0:
                        counter.WithLabels(values).Inc(value);
                        break;
                    case Prometheus.Gauge gauge when instrument.IsObservable:
                        gauge.WithLabels(values).Set(value);
                        _observed?.Add(new LabelValues(values.ToArray()));
                        break;
                    case Prometheus.Gauge gauge:
                        gauge.WithLabels(values).Inc(value);
                        break;
                    default:
                        break;
                }
            }
            finally
            {
                if (rented.Length > 0)
                {
                    ArrayPool<string>.Shared.Return(rented, clearArray: true);
                }
            }
        }

        /// <summary>Before the observable callbacks run: start noting which series they report.</summary>
        public void BeginObservation() => _observed = [];

        /// <summary>After them: series the callbacks no longer report are removed, as a state that ended (a namespace
        /// no longer in Conflict, a gauge absent before its first value) must not linger with its last value.</summary>
        public void EndObservation()
        {
            var observed = _observed;
            _observed = null;
            if (_bound is not { Collector: Prometheus.Gauge gauge } bound || observed is null)
            {
                return;
            }

            if (bound.LabelNames.Length == 0)
            {
                if (observed.Count == 0)
                {
                    gauge.Unpublish();
                }

                return;
            }

            foreach (var labelValues in gauge.GetAllLabelValues().ToArray())
            {
                if (!observed.Contains(new LabelValues(labelValues)))
                {
                    gauge.RemoveLabelled(labelValues);
                }
            }
        }

        /// <summary>The tag values in label order; false when the keys are not the collector's label names.</summary>
        private static bool Fill(string[] names, ReadOnlySpan<KeyValuePair<string, object?>> tags, Span<string> values)
        {
            for (var i = 0; i < tags.Length; i++)
            {
                // Callers pass their tags in one order; the lookup is for a caller that passes them in another.
                var index = string.Equals(names[i], tags[i].Key, StringComparison.Ordinal) ? i : Array.IndexOf(names, tags[i].Key);
                if (index < 0)
                {
                    return false;
                }

                values[index] = tags[i].Value switch
                {
                    null => "",
                    string s => s,
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var other => other.ToString() ?? "",
                };
            }

            return true;
        }

        private Bound Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var keys = new string[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                keys[i] = tags[i].Key;
            }

            Array.Sort(keys, StringComparer.Ordinal);
            lock (_createLock)
            {
                if (_bound is { } existing)
                {
                    return existing;
                }

                var name = MetricName(instrument.Name, instrument.Unit, _isCounter || _isObservableCounter);
                var help = instrument.Description ?? "";
                Collector created = _buckets is not null
                    ? factory.CreateHistogram(name, help, keys, new HistogramConfiguration { Buckets = _buckets })
                    : _isCounter || _isObservableCounter
                        ? factory.CreateCounter(name, help, keys)
                        : factory.CreateGauge(name, help, keys);
                var bound = new Bound(created, keys);
                _bound = bound;
                return bound;
            }
        }

        private sealed record Bound(Collector Collector, string[] LabelNames);
    }

    /// <summary>A series' label values, value-equal, for the set of series an observation reported.</summary>
    private readonly record struct LabelValues(string[] Values)
    {
        public bool Equals(LabelValues other) => Values.AsSpan().SequenceEqual(other.Values);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var value in Values)
            {
                hash.Add(value, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}

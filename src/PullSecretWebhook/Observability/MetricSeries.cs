namespace PullSecretWebhook.Observability;

/// <summary>The aggregated value of one instrument for one tag set: a running sum (counters, up-down counters), the
/// last observation (observable instruments), or a histogram.</summary>
internal sealed class MetricSeries(double[]? bucketBounds)
{
    private readonly Lock _lock = new();
    private readonly long[]? _bucketCounts = bucketBounds is null ? null : new long[bucketBounds.Length + 1];
    private double _value;
    private long _count;

    public double[]? BucketBounds => bucketBounds;

    public void Add(double delta)
    {
        lock (_lock)
        {
            _value += delta;
        }
    }

    public void Set(double value)
    {
        lock (_lock)
        {
            _value = value;
        }
    }

    public void Record(double value)
    {
        // Prometheus buckets are "less than or equal": the first bound >= value takes it; beyond the last, +Inf.
        var index = Array.BinarySearch(bucketBounds!, value);
        if (index < 0)
        {
            index = ~index;
        }

        lock (_lock)
        {
            _bucketCounts![index]++;
            _value += value;
            _count++;
        }
    }

    /// <summary>A consistent copy: value (or sum), count, and cumulative bucket counts.</summary>
    public (double Value, long Count, long[] CumulativeBuckets) Snapshot()
    {
        lock (_lock)
        {
            var cumulative = new long[_bucketCounts?.Length ?? 0];
            long running = 0;
            for (var i = 0; i < cumulative.Length; i++)
            {
                running += _bucketCounts![i];
                cumulative[i] = running;
            }

            return (_value, _count, cumulative);
        }
    }
}

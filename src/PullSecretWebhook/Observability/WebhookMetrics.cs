using System.Diagnostics;
using System.Diagnostics.Metrics;
using PullSecretWebhook.Admission;

namespace PullSecretWebhook.Observability;

/// <summary>The server's instruments. Names follow Prometheus conventions already (base unit in the name); the
/// exporter adds <c>_total</c> to counters.</summary>
internal sealed class WebhookMetrics
{
    public const string MeterName = "PullSecretWebhook";

    /// <summary>Admission work is sub-millisecond; the buckets resolve 50 µs to the API server's 2 s call timeout.</summary>
    private static readonly double[] AdmissionBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2];

    private readonly Counter<long> _admissionRequests;
    private readonly Histogram<double> _admissionDuration;
    private readonly Counter<long> _admissionTransportErrors;

    public WebhookMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _admissionRequests = meter.CreateCounter<long>(
            "pullsecret_webhook_admission_requests",
            description: "Admission reviews answered, by result (injected, skipped, error) and reason.");
        _admissionDuration = meter.CreateHistogram(
            "pullsecret_webhook_admission_duration_seconds",
            unit: "s",
            description: "Time from a complete request body to a written AdmissionReview answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AdmissionBuckets });
        _admissionTransportErrors = meter.CreateCounter<long>(
            "pullsecret_webhook_admission_rejected_requests",
            description: "Requests to /mutate refused before admission logic ran, by HTTP status code.");

        var process = Process.GetCurrentProcess();
        var startTime = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        meter.CreateObservableGauge("process_resident_memory_bytes", () => Environment.WorkingSet, description: "Resident memory size in bytes.");
        meter.CreateObservableCounter("process_cpu_seconds", () => Environment.CpuUsage.TotalTime.TotalSeconds, description: "Total user and system CPU time spent in seconds.");
        meter.CreateObservableGauge("process_start_time_seconds", () => startTime, description: "Start time of the process since unix epoch in seconds.");
    }

    public void AdmissionAnswered(AdmissionOutcome outcome, TimeSpan elapsed)
    {
        var result = new KeyValuePair<string, object?>("result", outcome.Result());
        _admissionRequests.Add(1, result, new KeyValuePair<string, object?>("reason", outcome.Reason()));
        _admissionDuration.Record(elapsed.TotalSeconds, result);
    }

    public void AdmissionRejected(int statusCode) =>
        _admissionTransportErrors.Add(1, new KeyValuePair<string, object?>("code", StatusCodeLabel(statusCode)));

    private static string StatusCodeLabel(int statusCode) => statusCode switch
    {
        400 => "400",
        405 => "405",
        413 => "413",
        415 => "415",
        _ => "other",
    };
}

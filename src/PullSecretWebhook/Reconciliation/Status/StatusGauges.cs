using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Reconciliation.SlippedPods;

namespace PullSecretWebhook.Reconciliation.Status;

/// <summary>The reconciler's gauges (README, "Metrics"), read from the status room when scraped.</summary>
internal sealed class StatusGauges(ReconcilerMetrics metrics, StatusService status, NamespaceRecords records, SlippedPodScanner slippedPods, KeptLastGood kept, TimeProvider time)
{
    public void Observe(Func<long> queueDepth)
    {
        metrics.Observe(
            status.StateCounts,
            queueDepth,
            () => records.LastSuccess is { } at ? (time.GetUtcNow() - at).TotalSeconds : null,
            () => slippedPods.LastScan is null ? null : slippedPods.Found.Count);
        metrics.ObserveHeldSources(kept.Gauge);
    }
}

using System.Diagnostics.Metrics;
using PullSecretWebhook.Observability;
using PullSecretWebhook.Reconciliation.Desired;

namespace PullSecretWebhook.Reconciliation;

/// <summary>The reconciler's instruments, on the server's meter. Observable gauges read live state at scrape time.</summary>
internal sealed class ReconcilerMetrics
{
    private readonly Counter<long> _reconciles;
    private readonly Counter<long> _writes;
    private readonly Counter<long> _apiErrors;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _collisions;
    private readonly Counter<long> _invalidSources;
    private readonly Meter _meter;

    public ReconcilerMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(WebhookMetrics.MeterName);
        _reconciles = _meter.CreateCounter<long>("pullsecret_webhook_reconciles", description: "Namespace reconciles, by the target state found (up_to_date, missing, differs, ...) and result (ok, error).");
        _writes = _meter.CreateCounter<long>("pullsecret_webhook_writes", description: "Writes to the Kubernetes API by the reconciler, by verb and resource.");
        _apiErrors = _meter.CreateCounter<long>("pullsecret_webhook_api_errors", description: "Failed Kubernetes API calls of the reconciler, by verb and resource.");
        _conflicts = _meter.CreateCounter<long>("pullsecret_webhook_conflicts", description: "Reconciles that found a Secret with the target name that is not ours.");
        _collisions = _meter.CreateCounter<long>("pullsecret_webhook_source_collisions", description: "Registry keys held by several sources, counted per namespace merge.");
        _invalidSources = _meter.CreateCounter<long>("pullsecret_webhook_invalid_sources", description: "Times an exported Secret was skipped as unusable.");
    }

    /// <summary>Registers the live gauges; called once the reconciler exists.</summary>
    public void Observe(Func<IEnumerable<Measurement<long>>> managedNamespaces, Func<long> queueDepth, Func<double?> secondsSinceLastSync, Func<long?> slippedPods)
    {
        _meter.CreateObservableGauge(
            "pullsecret_webhook_slipped_pods",
            () => slippedPods() is { } count ? [new Measurement<long>(count)] : Array.Empty<Measurement<long>>(),
            description: "Pods found by the last scan running without the pull secret reference although their images match exported credentials (absent before the first scan).");
        _meter.CreateObservableGauge("pullsecret_webhook_managed_namespaces", managedNamespaces, description: "Namespaces by target state (UpToDate, Pending, Conflict, Excluded, Error).");
        _meter.CreateObservableGauge("pullsecret_webhook_queue_depth", queueDepth, description: "Namespaces waiting to be reconciled.");
        _meter.CreateObservableGauge(
            "pullsecret_webhook_last_sync_age",
            () => secondsSinceLastSync() is { } seconds ? [new Measurement<double>(seconds)] : Array.Empty<Measurement<double>>(),
            unit: "s",
            description: "Seconds since the last reconcile that left its namespace in sync (absent before the first).");
    }

    /// <summary>Registers the gauge of invalid sources whose last good entries the targets keep (README, "When a source
    /// turns invalid"): above 0, credentials in the cluster no longer follow a source.</summary>
    public void ObserveHeldSources(Func<IEnumerable<Measurement<long>>> heldSources) =>
        _meter.CreateObservableGauge(
            "pullsecret_webhook_sources_invalid_kept",
            heldSources,
            description: "Invalid sources whose last good entries are kept in at least one namespace until they are valid again, deleted or unexported.");

    public void Reconciled(TargetState state, bool ok) =>
        _reconciles.Add(1, new KeyValuePair<string, object?>("state", StateLabel(state)), new KeyValuePair<string, object?>("result", ok ? "ok" : "error"));

    public void Wrote(string verb, string resource) =>
        _writes.Add(1, new KeyValuePair<string, object?>("verb", verb), new KeyValuePair<string, object?>("resource", resource));

    public void ApiError(string verb, string resource) =>
        _apiErrors.Add(1, new KeyValuePair<string, object?>("verb", verb), new KeyValuePair<string, object?>("resource", resource));

    public void Conflict() => _conflicts.Add(1);

    public void Collisions(int count) => _collisions.Add(count);

    public void InvalidSource() => _invalidSources.Add(1);

    private static string StateLabel(TargetState state) => state switch
    {
        TargetState.UpToDate => "up_to_date",
        TargetState.NotWanted => "not_wanted",
        TargetState.Missing => "missing",
        TargetState.Differs => "differs",
        TargetState.WrongType => "wrong_type",
        TargetState.NotOurs => "not_ours",
        TargetState.Adoptable => "adoptable",
        TargetState.Unwanted => "unwanted",
        _ => "unknown",
    };
}

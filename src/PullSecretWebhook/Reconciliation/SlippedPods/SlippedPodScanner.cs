using Microsoft.Extensions.Options;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Events;
using PullSecretWebhook.Reconciliation.WorkLoop;
using PullSecretWebhook.Selection;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.SlippedPods;

/// <summary>Finds Pods that slipped past the webhook. With <c>failurePolicy: Ignore</c> a Pod created while the webhook
/// was unreachable runs without the reference, and a Pod's spec cannot change afterwards; the fix is to recreate it.
/// The scan lists Pods page by page (paced by the client's rate limit), keeps those in selected namespaces that lack
/// the reference although an image matches a credential exported there, and reports them: a metric, <c>/status</c>
/// and a Warning Event on the Pod. It never deletes or restarts anything.</summary>
internal sealed class SlippedPodScanner(
    IKubernetes client,
    ExportedKeyrings keyrings,
    NamespaceExclusion exclusion,
    ClusterCaches caches,
    EventRecorder events,
    IOptions<SlippedPodsOptions> options,
    IOptions<TargetOptions> target,
    TimeProvider time,
    ILogger<SlippedPodScanner> logger) : ILeaderWork
{
    private readonly SlippedPodsOptions _options = options.Value;
    private readonly string _target = target.Value.SecretName;

    /// <summary>What the last completed scan found; empty before the first.</summary>
    public IReadOnlyList<SlippedPod> Found { get; private set; } = [];

    public DateTimeOffset? LastScan { get; private set; }

    /// <summary>Leader only, once per interval when enabled. A failed scan is logged and waits for the next interval:
    /// it is a report, and must never add load when the API server is struggling.</summary>
    public async Task RunWhileLeadingAsync(CancellationToken leadership)
    {
        if (!_options.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(leadership))
            {
                try
                {
                    await ScanAsync(time.GetUtcNow(), leadership);
                }
                catch (Exception e) when (KubeApiException.IsApiFailure(e))
                {
                    ReconcilerLog.ScanFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Leadership ended.
        }
    }

    public async Task ScanAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = new List<SlippedPod>();
        string? next = null;
        do
        {
            var page = await KubeKinds.Pods.ListAsync(client, null, new ListRequest { Limit = _options.PageSize, Continue = next }, cancellationToken);
            foreach (var pod in page.Items)
            {
                if (Check(pod) is { } slipped)
                {
                    found.Add(slipped);
                    if (await events.WarnAsync(pod, "MissingPullSecret",
                        $"This Pod has no imagePullSecrets reference to {_target} although its images match registry credentials exported to this namespace; it was probably created while the pullsecret-webhook admission webhook was unreachable. Recreate it (for example, delete it so its controller makes a new one) to get the credentials.",
                        cancellationToken))
                    {
                        ReconcilerLog.SlippedPod(logger, slipped.Namespace, slipped.Name);
                    }
                }
            }

            next = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        Found = found;
        LastScan = now;
        ReconcilerLog.ScanCompleted(logger, found.Count);
    }

    private SlippedPod? Check(V1Pod pod)
    {
        var ns = pod.Metadata.NamespaceProperty;
        if (ns is null || pod.Spec is null || exclusion.IsExcluded(ns) || pod.Metadata.DeletionTimestamp is not null
            || WellKnown.IsOptOut(pod.Metadata.LabelsView()?.GetValueOrDefault(WellKnown.InjectLabel))
            || pod.Metadata.Annotations?.ContainsKey(WellKnown.MirrorPodAnnotation) == true)
        {
            return null;
        }

        if (caches.Namespaces.TryGet(null, ns, out var namespaceObject) && exclusion.IsTurnedDownBy(namespaceObject))
        {
            return null;
        }

        if (pod.Spec.ImagePullSecrets?.Any(r => r.Name == _target) == true)
        {
            return null;
        }

        if (keyrings.For(ns) is not { IsEmpty: false } keyring)
        {
            return null;
        }

        IReadOnlyList<string> images =
        [
            .. (pod.Spec.InitContainers ?? []).Select(c => c.Image),
            .. (pod.Spec.Containers ?? []).Select(c => c.Image),
            .. (pod.Spec.EphemeralContainers ?? []).Select(c => c.Image),
        ];
        images = [.. images.Where(i => !string.IsNullOrEmpty(i))];
        return PodImages.AnyMatches(images, keyring) ? new SlippedPod(ns, pod.Metadata.Name ?? "", images) : null;
    }
}

using Microsoft.Extensions.Options;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Reconciliation.Events;
using PullSecretWebhook.Reconciliation.Status;
using PullSecretWebhook.Reconciliation.WorkLoop;
using PullSecretWebhook.Selection;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.Targets;

/// <summary>Reconciles one namespace: computes its desired target from the caches, compares it with the cached
/// target, and writes only on difference — create, update in place with optimistic concurrency, or delete our own
/// with preconditions. Level-triggered and idempotent: running it twice in a row makes no second write.</summary>
internal sealed class NamespaceReconciler(
    ClusterCaches caches,
    NamespaceAssessor assessor,
    IEnumerable<INamespaceFeature> features,
    NamespaceRecords records,
    IKubernetes client,
    EventRecorder events,
    ReconcilerMetrics metrics,
    IOptions<TargetOptions> target,
    ILogger<NamespaceReconciler> logger) : IReconciler<NamespaceWork>
{
    private readonly string _targetName = target.Value.SecretName;
    private readonly AnnotationMatch? _adoptMarker = target.Value.AdoptMarker;
    private readonly IReadOnlyList<INamespaceFeature> _features = [.. features];

    public async Task<ReconcileResult> ReconcileAsync(NamespaceWork work, CancellationToken cancellationToken)
    {
        var namespaceName = work.Name;
        if (assessor.Assess(namespaceName) is not var (desired, actual, state))
        {
            // The namespace is gone, and its Secrets with it.
            records.RecordGone(namespaceName);
            return ReconcileResult.Done;
        }

        try
        {
            await ActAsync(namespaceName, desired, actual, state, cancellationToken);
            foreach (var feature in _features)
            {
                await feature.ReconcileAsync(namespaceName, desired, cancellationToken);
            }

            await ReportCollisionsAsync(desired, cancellationToken);
        }
        catch (Exception e) when (KubeApiException.IsApiFailure(e))
        {
            metrics.Reconciled(state, ok: false);
            records.RecordFailed(namespaceName, e.Message);
            throw;
        }

        metrics.Reconciled(state, ok: true);
        records.RecordSynced(namespaceName);
        return ReconcileResult.Done;
    }

    private async Task ActAsync(string ns, DesiredTarget desired, V1Secret? actual, TargetState state, CancellationToken cancellationToken)
    {
        switch (state)
        {
            case TargetState.UpToDate or TargetState.NotWanted:
                ReconcilerLog.InSync(logger, ns, state);
                break;
            case TargetState.Missing:
                await CreateAsync(ns, desired, cancellationToken);
                break;
            case TargetState.Differs:
                await UpdateAsync(ns, desired, actual!, cancellationToken);
                break;
            case TargetState.Adoptable when actual!.Type == SecretTypes.DockerConfigJson:
                await UpdateAsync(ns, desired, actual, cancellationToken);
                break;
            case TargetState.WrongType or TargetState.Adoptable:
                // The API server refuses to change a Secret's type, so this is the one case of delete-then-create;
                // the preconditions make sure what is deleted is exactly what was judged ours (or handed over).
                await DeleteAsync(ns, actual!, cancellationToken);
                await CreateAsync(ns, desired, cancellationToken);
                break;
            case TargetState.Unwanted:
                await DeleteAsync(ns, actual!, cancellationToken);
                ReconcilerLog.Wrote(logger, "deleted", ns, desired.Reason.ToString());
                break;
            case TargetState.NotOurs:
                metrics.Conflict();
                if (await events.WarnAsync(actual!, "TargetConflict",
                    $"Secret {ns}/{_targetName} is not managed by pullsecret-webhook, so it is left unchanged and this namespace gets no merged credentials. Delete it, or annotate it {WellKnown.AdoptAnnotation}=true to hand it over.",
                    cancellationToken))
                {
                    ReconcilerLog.Conflict(logger, ns, _targetName);
                }

                break;
        }
    }

    private async Task CreateAsync(string ns, DesiredTarget desired, CancellationToken cancellationToken)
    {
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                Name = _targetName,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue },
                Annotations = new Dictionary<string, string> { [WellKnown.SourcesAnnotation] = desired.SourcesAnnotation, [WellKnown.OriginsAnnotation] = desired.OriginsAnnotation },
            },
            Type = SecretTypes.DockerConfigJson,
            Data = new Dictionary<string, byte[]> { [SecretTypes.DockerConfigJsonKey] = desired.Merge!.Payload },
        };
        var created = await Write("create", () => client.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: cancellationToken));
        caches.RecordWrite(ns, created);
        ReconcilerLog.Wrote(logger, "created", ns, desired.SourcesAnnotation);
    }

    private async Task UpdateAsync(string ns, DesiredTarget desired, V1Secret actual, CancellationToken cancellationToken)
    {
        // A patch of what changes: unknown fields and others' labels survive; 409 if the Secret changed since it was read.
        var patch = new SecretPatch(actual)
            .SetLabel(WellKnown.ManagedByLabel, WellKnown.ManagedByValue)
            .SetAnnotation(WellKnown.SourcesAnnotation, desired.SourcesAnnotation)
            .SetAnnotation(WellKnown.OriginsAnnotation, desired.OriginsAnnotation)
            .SetDataExactly(new Dictionary<string, byte[]> { [SecretTypes.DockerConfigJsonKey] = desired.Merge!.Payload });

        // The marker of Target:AdoptAnnotated goes: the Secret is no longer the other tool's, and must not say it is.
        if (_adoptMarker is { } marker && marker.Matches(actual.Metadata.AnnotationsView()))
        {
            patch.RemoveAnnotation(marker.Key);
        }

        var updated = await Write("update", () => client.CoreV1.PatchNamespacedSecretAsync(patch.ToPatch(), _targetName, ns, cancellationToken: cancellationToken));
        caches.RecordWrite(ns, updated);
        ReconcilerLog.Wrote(logger, "updated", ns, desired.SourcesAnnotation);
    }

    private async Task DeleteAsync(string ns, V1Secret actual, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = actual.Metadata.Uid, ResourceVersion = actual.Metadata.ResourceVersion } };
        await Write("delete", async () =>
        {
            try
            {
                await client.CoreV1.DeleteNamespacedSecretAsync(_targetName, ns, options, cancellationToken: cancellationToken);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                // Already gone: what was asked for.
            }

            return true;
        });
        caches.RecordWrite(ns, null);
    }

    private async Task<T> Write<T>(string verb, Func<Task<T>> call)
    {
        try
        {
            var result = await call();
            metrics.Wrote(verb, "secrets");
            return result;
        }
        catch (Exception e) when (KubeApiException.IsApiFailure(e))
        {
            metrics.ApiError(verb, "secrets");
            throw;
        }
    }

    private async Task ReportCollisionsAsync(DesiredTarget desired, CancellationToken cancellationToken)
    {
        if (desired.Collisions.Count == 0)
        {
            return;
        }

        metrics.Collisions(desired.Collisions.Count);
        foreach (var collision in desired.Collisions)
        {
            var loser = collision.Loser.Split('/', 2);
            if (!caches.TryGetExported(loser[0], loser[1], out var losingSecret))
            {
                continue;
            }

            if (await events.WarnAsync(losingSecret, "RegistryCollision",
                $"Registry {collision.Key} is also exported by {collision.Winner}, which sorts first and is used; this Secret's entry for it is ignored.",
                cancellationToken))
            {
                ReconcilerLog.Collision(logger, collision.Key, collision.Winner, collision.Loser);
            }
        }
    }
}

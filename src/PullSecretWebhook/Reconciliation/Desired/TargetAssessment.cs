using PullSecretWebhook.Credentials;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Selection;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.Desired;

/// <summary>Compares the desired target with the Secret that exists (from the cache). Pure and safety-critical: it is
/// the only place that decides whether a Secret is ours to change.</summary>
internal static class TargetAssessment
{
    /// <param name="desired">What the namespace should have.</param>
    /// <param name="actual">The Secret named like the target, if any.</param>
    /// <param name="adoptMarker"><c>Target:AdoptAnnotated</c>: another annotation that hands a Secret over.</param>
    public static TargetState Assess(DesiredTarget desired, V1Secret? actual, AnnotationMatch? adoptMarker = null)
    {
        if (desired.Reason == DesiredReason.Terminating)
        {
            return TargetState.NotWanted;
        }

        if (actual is null)
        {
            return desired.IsWanted ? TargetState.Missing : TargetState.NotWanted;
        }

        if (!IsOurs(actual))
        {
            // A Secret we did not create is never changed or deleted; only an explicit adopt annotation hands it over.
            if (!desired.IsWanted)
            {
                return TargetState.NotWanted;
            }

            return actual.Metadata.AnnotationsView()?.GetValueOrDefault(WellKnown.AdoptAnnotation) == "true" || adoptMarker?.Matches(actual.Metadata.AnnotationsView()) == true
                ? TargetState.Adoptable
                : TargetState.NotOurs;
        }

        if (!desired.IsWanted)
        {
            return TargetState.Unwanted;
        }

        if (actual.Type != SecretTypes.DockerConfigJson)
        {
            return TargetState.WrongType;
        }

        return Matches(desired, actual) ? TargetState.UpToDate : TargetState.Differs;
    }

    public static bool IsOurs(V1Secret secret) =>
        secret.Metadata.LabelsView()?.GetValueOrDefault(WellKnown.ManagedByLabel) == WellKnown.ManagedByValue;

    private static bool Matches(DesiredTarget desired, V1Secret actual) =>
        actual.Data is { Count: 1 } data
        && data.TryGetValue(SecretTypes.DockerConfigJsonKey, out var payload)
        && payload.AsSpan().SequenceEqual(desired.Merge!.Payload)
        && actual.Metadata.AnnotationsView()?.GetValueOrDefault(WellKnown.SourcesAnnotation) == desired.SourcesAnnotation
        && actual.Metadata.AnnotationsView()?.GetValueOrDefault(WellKnown.OriginsAnnotation) == desired.OriginsAnnotation;
}

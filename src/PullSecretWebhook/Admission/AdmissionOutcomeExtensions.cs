namespace PullSecretWebhook.Admission;

internal static class AdmissionOutcomeExtensions
{
    /// <summary>The coarse class used as a metric label: <c>injected</c>, <c>skipped</c> or <c>error</c>.</summary>
    public static string Result(this AdmissionOutcome outcome) => outcome switch
    {
        AdmissionOutcome.Injected => "injected",
        AdmissionOutcome.Failed or AdmissionOutcome.MalformedObject => "error",
        _ => "skipped",
    };

    /// <summary>The reason as a snake_case label value; a fixed set, so metric cardinality stays bounded.</summary>
    public static string Reason(this AdmissionOutcome outcome) => outcome switch
    {
        AdmissionOutcome.Injected => "injected",
        AdmissionOutcome.NotAPod => "not_a_pod",
        AdmissionOutcome.NotCreate => "not_create",
        AdmissionOutcome.SubResource => "subresource",
        AdmissionOutcome.PodOptedOut => "pod_opted_out",
        AdmissionOutcome.NamespaceExcluded => "namespace_excluded",
        AdmissionOutcome.NamespaceOptedOut => "namespace_opted_out",
        AdmissionOutcome.MirrorPod => "mirror_pod",
        AdmissionOutcome.AlreadyReferenced => "already_referenced",
        AdmissionOutcome.NoMatchingRegistry => "no_matching_registry",
        AdmissionOutcome.MalformedObject => "malformed_object",
        AdmissionOutcome.Failed => "failed",
        _ => "unknown",
    };
}

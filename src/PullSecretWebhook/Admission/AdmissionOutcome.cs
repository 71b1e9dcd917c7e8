namespace PullSecretWebhook.Admission;

/// <summary>Why a review was answered the way it was. One value drives the log line, the metric label and the
/// response, so the three cannot disagree.</summary>
internal enum AdmissionOutcome
{
    /// <summary>The reference to the target Secret was added.</summary>
    Injected,

    NotAPod,
    NotCreate,
    SubResource,
    PodOptedOut,
    NamespaceExcluded,
    NamespaceOptedOut,
    MirrorPod,
    AlreadyReferenced,

    /// <summary><c>Injection:Mode=MatchingRegistries</c>: no image of the Pod matches a registry key exported to its
    /// namespace, so the reference would serve nothing.</summary>
    NoMatchingRegistry,

    /// <summary>The Pod is shaped so that no add-only patch could apply (no spec, imagePullSecrets not a list);
    /// the API server will judge the Pod itself.</summary>
    MalformedObject,

    /// <summary>Our own logic failed; the Pod is allowed unpatched (fail open) and the failure logged.</summary>
    Failed,
}

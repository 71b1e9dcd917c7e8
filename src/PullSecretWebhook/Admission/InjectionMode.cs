namespace PullSecretWebhook.Admission;

/// <summary>Setting <c>Injection:Mode</c> (README, "Registry-aware injection" and "Settings").</summary>
internal enum InjectionMode
{
    /// <summary>Every Pod that is not skipped gets the reference.</summary>
    Always,

    /// <summary>Only Pods with an image that a registry key exported to their namespace serves, by the kubelet's
    /// matching rules. Needs the cluster caches; without them it behaves as <see cref="Always"/>.</summary>
    MatchingRegistries,
}

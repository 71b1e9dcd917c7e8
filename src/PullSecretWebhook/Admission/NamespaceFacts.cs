namespace PullSecretWebhook.Admission;

/// <summary>What the cluster caches know about a namespace at admission time. Each fact is three-valued:
/// <c>null</c> means unknown (no cluster connection, or the caches have not synced yet), and the webhook then
/// behaves as if the answer were the permissive one: it injects and does not warn.</summary>
/// <param name="OptedOut">The namespace carries the opt-out label.</param>
/// <param name="TargetSecretPresent">The target Secret exists in the namespace.</param>
internal readonly record struct NamespaceFacts(bool? OptedOut, bool? TargetSecretPresent)
{
    public static NamespaceFacts Unknown => default;
}

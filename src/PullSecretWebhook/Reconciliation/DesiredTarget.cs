using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.Reconciliation;

/// <summary>What one namespace should have: the merged credentials, or nothing and why.</summary>
internal sealed record DesiredTarget(DesiredReason Reason, MergedCredentials? Merge, IReadOnlyList<CredentialCollision> Collisions)
{
    public bool IsWanted => Reason == DesiredReason.Wanted;

    /// <summary>The value of the <c>pullsecret-webhook.io/sources</c> annotation.</summary>
    public string SourcesAnnotation => Merge is null ? "" : string.Join(',', Merge.Sources);

    public static DesiredTarget Nothing(DesiredReason reason) => new(reason, null, []);
}

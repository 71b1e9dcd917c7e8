using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.Reconciliation.Desired;

/// <summary>What one namespace should have: the merged credentials, or nothing and why.</summary>
internal sealed record DesiredTarget(DesiredReason Reason, MergedCredentials? Merge, IReadOnlyList<CredentialCollision> Collisions)
{
    public bool IsWanted => Reason == DesiredReason.Wanted;

    /// <summary>The value of the <c>pullsecret-webhook.io/sources</c> annotation.</summary>
    public string SourcesAnnotation => Merge is null ? "" : string.Join(',', Merge.Sources);

    /// <summary>The value of the <c>pullsecret-webhook.io/origins</c> annotation (<see cref="TargetOrigins"/>).</summary>
    public string OriginsAnnotation => TargetOrigins.Render(Merge);

    /// <summary>Ids of invalid sources whose last good entries this namespace keeps, sorted.</summary>
    public IReadOnlyList<string> Held { get; init; } = [];

    public static DesiredTarget Nothing(DesiredReason reason) => new(reason, null, []);
}

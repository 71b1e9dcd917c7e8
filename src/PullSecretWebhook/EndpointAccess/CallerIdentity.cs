namespace PullSecretWebhook.EndpointAccess;

/// <summary>Who a token belongs to, as the cluster's TokenReview says: what a SubjectAccessReview needs to ask about
/// the same user. Never logged.</summary>
internal sealed record CallerIdentity(
    string Name,
    string? Uid,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Extra);

using k8s;
using k8s.Models;

namespace PullSecretWebhook.EndpointAccess;

/// <summary><see cref="IAccessReviews"/> through the API server: <c>tokenreviews</c> (authentication.k8s.io/v1) and
/// <c>subjectaccessreviews</c> (authorization.k8s.io/v1), as the API server itself reviews a request for
/// <c>/metrics</c>. The request objects carry the token: they are never logged, and the client's errors carry no
/// request body (README, "Who may read /status and /metrics").</summary>
internal sealed class KubernetesAccessReviews(IKubernetes api) : IAccessReviews
{
    public async Task<CallerIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var review = await api.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } },
            cancellationToken: cancellationToken);
        if (review.Status is not { Authenticated: true, User: { Username.Length: > 0 } user })
        {
            return null;
        }

        return new CallerIdentity(
            user.Username,
            user.Uid,
            [.. user.Groups ?? []],
            (user.Extra ?? new Dictionary<string, IList<string>>()).ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[.. e.Value ?? []], StringComparer.Ordinal));
    }

    public async Task<bool> MayGetAsync(CallerIdentity caller, string path, CancellationToken cancellationToken)
    {
        var review = await api.AuthorizationV1.CreateSubjectAccessReviewAsync(
            new V1SubjectAccessReview
            {
                Spec = new V1SubjectAccessReviewSpec
                {
                    User = caller.Name,
                    Uid = caller.Uid,
                    Groups = [.. caller.Groups],
                    Extra = caller.Extra.ToDictionary(e => e.Key, e => (IList<string>)[.. e.Value], StringComparer.Ordinal),
                    NonResourceAttributes = new V1NonResourceAttributes { Path = path, Verb = "get" },
                },
            },
            cancellationToken: cancellationToken);
        return review.Status?.Allowed == true;
    }
}

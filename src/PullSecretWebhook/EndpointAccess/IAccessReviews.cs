namespace PullSecretWebhook.EndpointAccess;

/// <summary>The two questions <see cref="AccessReviewer"/> asks the cluster. Either may throw what
/// <see cref="Kube.KubeApiException.IsApiFailure"/> classifies as a failed call.</summary>
internal interface IAccessReviews
{
    /// <summary>TokenReview: the token's user, or null when the cluster does not authenticate it.</summary>
    Task<CallerIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken);

    /// <summary>SubjectAccessReview: may <paramref name="caller"/> <c>get</c> the non-resource URL
    /// <paramref name="path"/>?</summary>
    Task<bool> MayGetAsync(CallerIdentity caller, string path, CancellationToken cancellationToken);
}

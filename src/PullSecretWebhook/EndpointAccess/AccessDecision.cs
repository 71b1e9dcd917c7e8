namespace PullSecretWebhook.EndpointAccess;

/// <summary>What <see cref="AccessReviewer"/> decided about one request, and the status code that says it.</summary>
internal enum AccessDecision
{
    /// <summary>200: the cluster authenticated the token and allows its user to get the path.</summary>
    Allowed,

    /// <summary>401: no bearer token.</summary>
    NoToken,

    /// <summary>401: the cluster did not authenticate the token.</summary>
    Unauthenticated,

    /// <summary>403: the token's user may not get the path.</summary>
    Forbidden,

    /// <summary>503: a review could not be made (API server unreachable, refused our call, too slow): never allowed.</summary>
    Unavailable,
}

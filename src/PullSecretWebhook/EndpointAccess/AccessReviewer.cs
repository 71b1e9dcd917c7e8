using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube;

namespace PullSecretWebhook.EndpointAccess;

/// <summary>
/// The decision for <c>/status</c> and <c>/metrics</c> with <c>Observability:Authorization=Kubernetes</c> (README, "Who
/// may read /status and /metrics"): the token's user from a TokenReview, then a SubjectAccessReview for
/// <c>get</c> on the path, as controller-runtime's <c>WithAuthenticationAndAuthorization</c> does. Both answers are
/// reused for <c>Observability:AuthorizationCacheDuration</c> by the SHA-256 of the token (a scraper costs one review
/// pair per period, whatever its scrape interval); a failed review is not remembered and never allows.
/// </summary>
internal sealed class AccessReviewer
{
    private readonly IAccessReviews _reviews;
    private readonly ILogger<AccessReviewer> _logger;
    private readonly ReviewCache<CallerIdentity?> _identities;
    private readonly ReviewCache<bool> _grants;

    public AccessReviewer(IAccessReviews reviews, IOptions<EndpointAccessOptions> options, TimeProvider time, ILogger<AccessReviewer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _reviews = reviews;
        _logger = logger;
        _identities = new ReviewCache<CallerIdentity?>(settings.AuthorizationCacheSize, settings.AuthorizationCacheDuration, time);
        _grants = new ReviewCache<bool>(settings.AuthorizationCacheSize, settings.AuthorizationCacheDuration, time);
    }

    /// <summary>Tokens remembered (authenticated or not), for tests of the bound.</summary>
    internal int RememberedTokens => _identities.Count;

    /// <summary>Token/path answers remembered.</summary>
    internal int RememberedGrants => _grants.Count;

    public async Task<AccessDecision> ReviewAsync(string? token, string path, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return AccessDecision.NoToken;
        }

        var key = Hash(token);
        if (!_identities.TryGet(key, out var caller))
        {
            try
            {
                caller = await _reviews.AuthenticateAsync(token, cancellationToken);
            }
            catch (Exception e) when (KubeApiException.IsApiFailure(e))
            {
                AccessLog.ReviewFailed(_logger, "TokenReview", path, e.GetType().Name, e.Message);
                return AccessDecision.Unavailable;
            }

            _identities.Set(key, caller);
        }

        if (caller is null)
        {
            return AccessDecision.Unauthenticated;
        }

        var grantKey = key + " " + path;
        if (!_grants.TryGet(grantKey, out var allowed))
        {
            try
            {
                allowed = await _reviews.MayGetAsync(caller, path, cancellationToken);
            }
            catch (Exception e) when (KubeApiException.IsApiFailure(e))
            {
                AccessLog.ReviewFailed(_logger, "SubjectAccessReview", path, e.GetType().Name, e.Message);
                return AccessDecision.Unavailable;
            }

            _grants.Set(grantKey, allowed);
        }

        return allowed ? AccessDecision.Allowed : AccessDecision.Forbidden;
    }

    /// <summary>The cache key of a token: its SHA-256, so the process keeps no token it was shown.</summary>
    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

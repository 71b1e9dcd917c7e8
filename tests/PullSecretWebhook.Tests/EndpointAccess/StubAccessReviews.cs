using System.Collections.Concurrent;
using PullSecretWebhook.EndpointAccess;

namespace PullSecretWebhook.Tests.EndpointAccess;

/// <summary>The two reviews as a cluster would answer them: known tokens and who may get which path; counts every
/// call; <see cref="Failing"/> makes both throw what an unreachable API server throws.</summary>
internal sealed class StubAccessReviews : IAccessReviews
{
    private readonly ConcurrentDictionary<string, CallerIdentity> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string User, string Path), bool> _grants = new();
    private int _tokenReviews;
    private int _accessReviews;

    public bool Failing { get; set; }

    public int TokenReviews => Volatile.Read(ref _tokenReviews);

    public int AccessReviews => Volatile.Read(ref _accessReviews);

    /// <summary>The paths the access reviews asked about, in order.</summary>
    public ConcurrentQueue<string> AskedPaths { get; } = new();

    public StubAccessReviews WithUser(string token, string user, params string[] mayGet)
    {
        _tokens[token] = new CallerIdentity(user, $"uid-{user}", ["system:authenticated"], new Dictionary<string, IReadOnlyList<string>>());
        foreach (var path in mayGet)
        {
            _grants[(user, path)] = true;
        }

        return this;
    }

    public Task<CallerIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _tokenReviews);
        if (Failing)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:6443)");
        }

        return Task.FromResult(_tokens.TryGetValue(token, out var caller) ? caller : null);
    }

    public Task<bool> MayGetAsync(CallerIdentity caller, string path, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _accessReviews);
        AskedPaths.Enqueue(path);
        if (Failing)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:6443)");
        }

        return Task.FromResult(_grants.ContainsKey((caller.Name, path)));
    }
}

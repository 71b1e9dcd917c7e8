using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PullSecretWebhook.EndpointAccess;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.EndpointAccess;

/// <summary>The decision behind <c>/status</c> and <c>/metrics</c> without HTTP (README, "Who may read /status and
/// /metrics"): the verdicts, the cache by token hash (period, per path, bound), failures never cached nor allowed.</summary>
public sealed class AccessReviewerTests
{
    private const string ReaderToken = "reader-token-0123456789";
    private const string OtherToken = "other-token-9876543210";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<AccessReviewer> _logger = new();
    private readonly StubAccessReviews _reviews = new StubAccessReviews()
        .WithUser(ReaderToken, "system:serviceaccount:monitoring:prometheus", "/metrics", "/status")
        .WithUser(OtherToken, "system:serviceaccount:team-a:default");

    [Fact]
    public async Task Verdicts_NoToken_Unknown_Denied_Allowed()
    {
        var reviewer = Reviewer();

        Assert.Equal(AccessDecision.NoToken, await reviewer.ReviewAsync(null, "/metrics", default));
        Assert.Equal(AccessDecision.NoToken, await reviewer.ReviewAsync("", "/metrics", default));
        Assert.Equal(0, _reviews.TokenReviews);
        Assert.Equal(AccessDecision.Unauthenticated, await reviewer.ReviewAsync("not-a-token", "/metrics", default));
        Assert.Equal(0, _reviews.AccessReviews);
        Assert.Equal(AccessDecision.Forbidden, await reviewer.ReviewAsync(OtherToken, "/metrics", default));
        Assert.Equal(AccessDecision.Allowed, await reviewer.ReviewAsync(ReaderToken, "/metrics", default));
        Assert.Equal(AccessDecision.Allowed, await reviewer.ReviewAsync(ReaderToken, "/status", default));
    }

    [Fact]
    public async Task SameToken_WithinThePeriod_IsReviewedOnce_ThenAgainAfterIt()
    {
        var reviewer = Reviewer();

        for (var scrape = 0; scrape < 4; scrape++)
        {
            Assert.Equal(AccessDecision.Allowed, await reviewer.ReviewAsync(ReaderToken, "/metrics", default));
            _time.Advance(TimeSpan.FromSeconds(14)); // a Prometheus scrape interval of 15 s, four times within a minute
        }

        Assert.Equal((1, 1), (_reviews.TokenReviews, _reviews.AccessReviews));
        _time.Advance(TimeSpan.FromSeconds(5)); // 61 s after the first review
        Assert.Equal(AccessDecision.Allowed, await reviewer.ReviewAsync(ReaderToken, "/metrics", default));
        Assert.Equal((2, 2), (_reviews.TokenReviews, _reviews.AccessReviews));
    }

    [Fact]
    public async Task RefusalsAreRemembered_ForThePeriodToo()
    {
        var reviewer = Reviewer();

        Assert.Equal(AccessDecision.Unauthenticated, await reviewer.ReviewAsync("not-a-token", "/metrics", default));
        Assert.Equal(AccessDecision.Unauthenticated, await reviewer.ReviewAsync("not-a-token", "/metrics", default));
        Assert.Equal(AccessDecision.Forbidden, await reviewer.ReviewAsync(OtherToken, "/status", default));
        Assert.Equal(AccessDecision.Forbidden, await reviewer.ReviewAsync(OtherToken, "/status", default));

        Assert.Equal((2, 1), (_reviews.TokenReviews, _reviews.AccessReviews));
    }

    [Fact]
    public async Task OneToken_TwoPaths_OneTokenReview_OneAccessReviewPerPath()
    {
        var reviewer = Reviewer();

        await reviewer.ReviewAsync(ReaderToken, "/metrics", default);
        await reviewer.ReviewAsync(ReaderToken, "/status", default);
        await reviewer.ReviewAsync(ReaderToken, "/status", default);

        Assert.Equal((1, 2), (_reviews.TokenReviews, _reviews.AccessReviews));
        Assert.Equal(["/metrics", "/status"], _reviews.AskedPaths);
    }

    [Fact]
    public async Task FailedReview_Is503_NeverAllowed_NotRemembered()
    {
        var reviewer = Reviewer();
        _reviews.Failing = true;

        Assert.Equal(AccessDecision.Unavailable, await reviewer.ReviewAsync(ReaderToken, "/metrics", default));
        Assert.Equal(AccessDecision.Unavailable, await reviewer.ReviewAsync(ReaderToken, "/metrics", default));
        Assert.Equal(2, _reviews.TokenReviews);
        Assert.Equal(0, reviewer.RememberedTokens);

        _reviews.Failing = false;
        Assert.Equal(AccessDecision.Allowed, await reviewer.ReviewAsync(ReaderToken, "/metrics", default));
        Assert.Equal(3, _reviews.TokenReviews);
    }

    [Fact]
    public async Task FailedAccessReview_AfterAuthentication_Is503_AndNotRemembered()
    {
        var reviewer = Reviewer();
        await reviewer.ReviewAsync(ReaderToken, "/status", default); // the token is known now
        _reviews.Failing = true;

        Assert.Equal(AccessDecision.Unavailable, await reviewer.ReviewAsync(ReaderToken, "/metrics", default));
        Assert.Equal(1, reviewer.RememberedGrants);

        _reviews.Failing = false;
        Assert.Equal(AccessDecision.Allowed, await reviewer.ReviewAsync(ReaderToken, "/metrics", default));
        Assert.Equal(3, _reviews.AccessReviews);
    }

    [Fact]
    public async Task Cache_IsBounded_TheOldestGoesFirst()
    {
        var reviewer = Reviewer(size: 3);
        for (var i = 0; i < 10; i++)
        {
            _reviews.WithUser($"token-{i}", $"user-{i}", "/metrics");
            Assert.Equal(AccessDecision.Allowed, await reviewer.ReviewAsync($"token-{i}", "/metrics", default));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, reviewer.RememberedTokens);
        Assert.Equal(3, reviewer.RememberedGrants);
        await reviewer.ReviewAsync("token-9", "/metrics", default);
        Assert.Equal(10, _reviews.TokenReviews); // the newest is still remembered
        await reviewer.ReviewAsync("token-0", "/metrics", default);
        Assert.Equal(11, _reviews.TokenReviews); // the oldest was evicted
        Assert.Equal(3, reviewer.RememberedTokens);
    }

    [Fact]
    public async Task Logs_HoldNeitherTheTokenNorItsHash_NorWhoItIs()
    {
        var reviewer = Reviewer();
        await reviewer.ReviewAsync(ReaderToken, "/metrics", default);
        await reviewer.ReviewAsync(OtherToken, "/metrics", default);
        await reviewer.ReviewAsync("not-a-token", "/metrics", default);
        _reviews.Failing = true;
        await reviewer.ReviewAsync("yet-another-token-42", "/status", default);

        var records = _logger.Collector.GetSnapshot();
        var failure = Assert.Single(records, r => r.Level == LogLevel.Warning);
        Assert.Contains("Connection refused", failure.Message, StringComparison.Ordinal);
        var text = string.Join('\n', records.Select(r => r.AllText()));
        foreach (var token in new[] { ReaderToken, OtherToken, "not-a-token", "yet-another-token-42" })
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))), text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("prometheus", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("01:00:01")]
    public void CacheDuration_OutOfRange_IsRefused(string duration)
    {
        var options = new EndpointAccessOptions { AuthorizationCacheDuration = TimeSpan.Parse(duration, System.Globalization.CultureInfo.InvariantCulture) };

        var problems = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(problems, p => p.ErrorMessage!.Contains("Observability:AuthorizationCacheDuration", StringComparison.Ordinal));
    }

    private AccessReviewer Reviewer(int size = 1024) => new(
        _reviews,
        Options.Create(new EndpointAccessOptions { AuthorizationCacheSize = size }),
        _time,
        _logger);
}

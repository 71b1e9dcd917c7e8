using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.ControlPlane;
using PullSecretWebhook.EndToEnd.Product;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.EndpointAccess;

/// <summary><c>/status</c> and <c>/metrics</c> answer only callers the real API server allows (README, "Who may read
/// /status and /metrics"): the product's TokenReview and SubjectAccessReview against kube-apiserver's own token
/// authenticators and RBAC, the ClusterRole <c>pullsecret-webhook-metrics-reader</c> and the product's RBAC from
/// <c>deploy/</c>, and what the reviews cost the API server under a 1 s polling loop (the audit log's count).</summary>
[Collection(SharedControlPlane.Name)]
public sealed class EndpointAccessTests(ControlPlaneFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan CachePeriod = TimeSpan.FromSeconds(5);
    private static readonly string[] Paths = ["/metrics", "/status"];

    [Fact]
    public async Task OnlyAllowedCallers_AreAnswered_ReviewsCostOnePairPerIdentityAndPeriod_AndAStoppedApiServerIs503()
    {
        await using var scope = fixture.NewScope(output);
        var sources = await scope.CreateNamespaceAsync("src");
        var callers = await scope.CreateNamespaceAsync("callers");
        // Kube:MaxRetries 1: a review against a stopped API server fails after one retry, not after five.
        var product = await scope.StartProductAsync(sources, new Dictionary<string, string>
        {
            ["Observability:AuthorizationCacheDuration"] = CachePeriod.ToString("c", CultureInfo.InvariantCulture),
            ["Kube:MaxRetries"] = "1",
        });
        var withoutRole = await ServiceAccountTokenAsync(scope, callers, "default");
        var prometheus = await CreateServiceAccountAsync(scope, callers, "prometheus");
        var unseen = await CreateServiceAccountAsync(scope, callers, "unseen");
        var binding = $"psw-e2e-metrics-reader-{callers}";
        await scope.Admin.CreateAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRoleBinding",
            ["metadata"] = new JsonObject { ["name"] = binding },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "pullsecret-webhook-metrics-reader" },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "prometheus", ["namespace"] = callers }),
        });
        try
        {
            foreach (var path in Paths)
            {
                await ExpectAsync(product, path, null, HttpStatusCode.Unauthorized, "Unauthorized");
                await ExpectAsync(product, path, "not-a-token-of-this-cluster", HttpStatusCode.Unauthorized, "Unauthorized");
                await ExpectAsync(product, path, withoutRole, HttpStatusCode.Forbidden, "Forbidden");
                Assert.Equal(HttpStatusCode.OK, (await product.GetAsync(path, KubeControlPlane.AdminToken)).Status);
            }

            // The binding is new: RBAC may take a moment, and a refusal is remembered for one period.
            await Eventually.WaitUntilAsync(async () => (await product.GetAsync("/metrics", prometheus)).Status == HttpStatusCode.OK,
                "the metrics reader reads /metrics", diagnostics: scope.Diagnostics);
            var metrics = await product.GetAsync("/metrics", prometheus);
            Assert.Contains("pullsecret_webhook_", metrics.Body, StringComparison.Ordinal);
            var status = await product.GetAsync("/status", prometheus);
            Assert.Equal(HttpStatusCode.OK, status.Status);
            Assert.True((bool)JsonNode.Parse(status.Body)!["connected"]!);

            await PollAndCountReviewsAsync(scope, product, [prometheus, withoutRole, KubeControlPlane.AdminToken]);

            // A token the product has never seen, with the API server down: 503, never the answer.
            await scope.Plane.KillApiServerAsync();
            try
            {
                foreach (var path in Paths)
                {
                    await ExpectAsync(product, path, unseen, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
                }
            }
            finally
            {
                await scope.Plane.StartApiServerAsync();
            }

            await Eventually.WaitUntilAsync(async () => (await product.GetAsync("/metrics", unseen)).Status == HttpStatusCode.Forbidden,
                "with the API server back, the unseen token is reviewed (no role: 403)", diagnostics: scope.Diagnostics);
        }
        finally
        {
            await scope.Admin.DeleteAsync($"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/{binding}");
        }
    }

    /// <summary>Every token polls <c>/metrics</c> once a second (paced by a timer, each request awaited) for a little
    /// over two cache periods; the audit log then shows the product's reviews: per token at most one TokenReview and
    /// one SubjectAccessReview per period, and more than one period's worth in all (the cache expires).</summary>
    private async Task PollAndCountReviewsAsync(ClusterScope scope, ProductProcess product, IReadOnlyList<string> tokens)
    {
        var from = DateTimeOffset.UtcNow;
        var window = 2 * CachePeriod + TimeSpan.FromSeconds(1);
        var polls = 0;
        using (var pace = new PeriodicTimer(TimeSpan.FromSeconds(1)))
        {
            while (DateTimeOffset.UtcNow - from < window && await pace.WaitForNextTickAsync())
            {
                foreach (var token in tokens)
                {
                    var answer = await product.GetAsync("/metrics", token);
                    Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.Forbidden, $"poll answered {(int)answer.Status}: {answer.Body}");
                    polls++;
                }
            }
        }

        var to = DateTimeOffset.UtcNow;
        // The audit log is written asynchronously: wait until the last poll's reviews could be in it.
        await Eventually.WaitUntilAsync(() => scope.Plane.Audit.Read().Any(r => r.Received >= to), "the audit log has caught up", diagnostics: scope.Diagnostics);
        var reviews = scope.AuditSinceStart().Where(r => r.Received >= from && r.Received <= to && r.User == KubeControlPlane.ProductUser).ToList();
        var tokenReviews = reviews.Where(r => r.Resource == "tokenreviews").Select(r => r.Received).Order().ToList();
        var accessReviews = reviews.Where(r => r.Resource == "subjectaccessreviews").Select(r => r.Received).Order().ToList();
        var periods = (to - from) / CachePeriod;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{polls} polls by {tokens.Count} tokens in {(to - from).TotalSeconds:F1} s ({periods:F1} cache periods): {tokenReviews.Count} TokenReviews, {accessReviews.Count} SubjectAccessReviews"));

        Assert.True(polls >= tokens.Count * 10, $"only {polls} polls");
        foreach (var (kind, times) in new[] { ("TokenReview", tokenReviews), ("SubjectAccessReview", accessReviews) })
        {
            Assert.True(times.Count <= tokens.Count * ((int)Math.Ceiling(periods) + 1), $"{times.Count} {kind}s for {tokens.Count} tokens in {periods:F1} periods");
            Assert.True(times.Count >= tokens.Count, $"{times.Count} {kind}s: the cache never expired within {periods:F1} periods");
            // One token's reviews are more than a period apart, so no period holds more than one per token.
            var busiest = times.Max(t => times.Count(u => u >= t && u < t + CachePeriod));
            Assert.True(busiest <= tokens.Count, $"{busiest} {kind}s within one cache period for {tokens.Count} tokens");
        }
    }

    private static async Task ExpectAsync(ProductProcess product, string path, string? token, HttpStatusCode expected, string reason)
    {
        var (status, body) = await product.GetAsync(path, token);
        Assert.True(status == expected, $"{path} with {(token is null ? "no token" : "a token")}: {(int)status} {body}");
        var error = JsonNode.Parse(body)!;
        Assert.Equal((int)expected, (int)error["code"]!);
        Assert.Equal(reason, (string?)error["reason"]);
    }

    private static async Task<string> CreateServiceAccountAsync(ClusterScope scope, string ns, string name)
    {
        await scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/serviceaccounts", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = name },
        });
        return await ServiceAccountTokenAsync(scope, ns, name);
    }

    /// <summary>The token of the ServiceAccount's legacy token Secret, which the token controller creates (1.20 has no
    /// TokenRequest through kubectl).</summary>
    private static async Task<string> ServiceAccountTokenAsync(ClusterScope scope, string ns, string name)
    {
        var secret = await Eventually.ValueAsync(async () =>
        {
            var account = await scope.Admin.GetAsync($"/api/v1/namespaces/{ns}/serviceaccounts/{name}");
            var secretName = (string?)account?["secrets"]?[0]?["name"];
            return secretName is null ? null : (await scope.Admin.GetAsync($"/api/v1/namespaces/{ns}/secrets/{secretName}"))?["data"]?["token"] is JsonNode token ? (string?)token : null;
        }, $"ServiceAccount {ns}/{name} has its token", diagnostics: scope.Diagnostics);
        return Encoding.UTF8.GetString(Convert.FromBase64String(secret));
    }
}

using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.CredentialChecks;
using PullSecretWebhook.Tests.CredentialChecks.Support;

namespace PullSecretWebhook.Tests.CredentialChecks;

/// <summary>What is checked where: key normalisation as the kubelet's, keys that cannot be checked, the probe image's
/// reach, challenge parsing and JWT expiry. No network.</summary>
public sealed class CheckInputTests
{
    [Theory]
    [InlineData("https://index.docker.io/v1/", "https", "registry-1.docker.io")]
    [InlineData("index.docker.io", "https", "registry-1.docker.io")]
    [InlineData("docker.io", "https", "registry-1.docker.io")]
    [InlineData("registry.example.com/team/app", "https", "registry.example.com")]
    [InlineData("https://registry.example.com:5000/v2/", "https", "registry.example.com:5000")]
    [InlineData("http://registry.internal:5000", "http", "registry.internal:5000")]
    [InlineData("localhost:5000", "https", "localhost:5000")]
    public void Endpoint_Key_ChecksTheRegistryTheKubeletWouldUse(string key, string scheme, string host)
    {
        Assert.True(RegistryEndpoint.TryParse(key, out var endpoint, out var problem), problem);

        Assert.Equal((scheme, host), (endpoint.Scheme, endpoint.Host));
    }

    [Theory]
    [InlineData("*.example.com", "wildcard")]
    [InlineData("ftp://registry.example.com", "scheme ftp://")]
    [InlineData("registry example com", "not a registry address")]
    [InlineData("registry.example.com:port", "not a registry address")]
    [InlineData("", "not a registry address")]
    public void Endpoint_KeyThatNamesNoRegistry_RefusedWithReason(string key, string reason)
    {
        Assert.False(RegistryEndpoint.TryParse(key, out _, out var problem));

        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Target_ProbeImageOfAnotherPath_NotProbedByThatKey()
    {
        var entries = RegistryCheckTests.Entries(RegistryFixture.DockerConfig(("r.example.com/team", "a", "p"), ("r.example.com/other", "b", "q")));

        Assert.True(CheckTarget.TryCreate(entries.Single(e => e.Key.EndsWith("team", StringComparison.Ordinal)), "r.example.com/team/app:1", out var team, out _));
        Assert.True(CheckTarget.TryCreate(entries.Single(e => e.Key.EndsWith("other", StringComparison.Ordinal)), "r.example.com/team/app:1", out var other, out _));

        Assert.Equal(new ProbeImage("r.example.com/team/app:1", "team/app", "1"), team.Probe);
        Assert.Null(other.Probe);
    }

    [Fact]
    public void Target_SameKeyAndIdentityInTwoSources_OneTarget()
    {
        var first = RegistryCheckTests.Entries(RegistryFixture.DockerConfig(("r.example.com", "a", "p"))).Single();
        var second = RegistryCheckTests.Entries(RegistryFixture.DockerConfig(("r.example.com", "a", "p"))).Single();
        var other = RegistryCheckTests.Entries(RegistryFixture.DockerConfig(("r.example.com", "a", "p2"))).Single();
        CheckTarget.TryCreate(first, null, out var a, out _);
        CheckTarget.TryCreate(second, null, out var b, out _);
        CheckTarget.TryCreate(other, null, out var c, out _);

        Assert.Single(new HashSet<CheckTarget> { a, b });
        Assert.NotEqual(a, c);
        Assert.DoesNotContain("p2", c.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Challenge_BearerWithQuotedCommas_ParsesEveryParameter()
    {
        var challenge = RegistryChallenge.Parse("Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:a/b:pull,push\"");

        Assert.NotNull(challenge);
        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.example.com/token", challenge.Realm);
        Assert.Equal("registry.example.com", challenge.Service);
        Assert.Equal("repository:a/b:pull,push", challenge.Parameters["scope"]);
    }

    [Fact]
    public void Challenge_BasicAndBearerOffered_BearerPicked()
    {
        var picked = RegistryChallenge.Pick(["Basic realm=\"r\"", "Bearer realm=\"https://a/t\""]);

        Assert.True(picked!.IsBearer);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("a.bm90IGpzb24.c")]
    [InlineData("")]
    public void Expiry_NotAJwtWithExp_Null(string value)
    {
        Assert.Null(JwtExpiry.Read(value));
    }

    [Fact]
    public void Expiry_JwtWithExp_ReadsIt()
    {
        var payload = TestJwt.Encode(Encoding.UTF8.GetBytes(new JsonObject { ["exp"] = 1_900_000_000 }.ToJsonString()));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), JwtExpiry.Read($"eyJhbGciOiJub25lIn0.{payload}.sig"));
    }

    [Theory]
    [InlineData("""{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}""", "DENIED")]
    [InlineData("""{"error":"invalid_grant"}""", "invalid_grant")]
    [InlineData("""{"errors":[{"code":"my password is hunter2"}]}""", null)]
    [InlineData("<html>", null)]
    public void ErrorCode_Answer_KeptOnlyWhenItLooksLikeACode(string body, string? code)
    {
        Assert.Equal(code, CredentialChecker.ErrorCode(Encoding.UTF8.GetBytes(body)));
    }
}

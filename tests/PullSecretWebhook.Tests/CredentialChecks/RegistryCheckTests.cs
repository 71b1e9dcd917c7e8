using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PullSecretWebhook.CredentialChecks;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Tests.CredentialChecks.Support;

namespace PullSecretWebhook.Tests.CredentialChecks;

/// <summary>The checker against real registries (Distribution 2.8, Basic and token auth), with skopeo as the independent
/// judge of whether the same credential really pulls.</summary>
[Collection(RegistryGroup.Name)]
public sealed class RegistryCheckTests(RegistryFixture registries)
{
    [Fact]
    public async Task Check_BasicRegistryRightPassword_ValidAndSkopeoPulls()
    {
        var result = await CheckAsync(registries.Basic.Host, "alice", RegistryFixture.Users["alice"]);

        Assert.Equal(CredentialVerdict.Valid, result.Verdict);
        Assert.Equal(2, result.Requests); // GET /v2/ → 401 Basic, GET /v2/ with the credential → 200
        Assert.True((await JudgeAsync(registries.Basic.Host, "alice", RegistryFixture.Users["alice"])).Pulls);
    }

    [Fact]
    public async Task Check_BasicRegistryWrongPassword_RejectedWithUnauthorizedAndSkopeoFails()
    {
        var result = await CheckAsync(registries.Basic.Host, "alice", "wrong-password");

        Assert.Equal(CredentialVerdict.Rejected, result.Verdict);
        Assert.Equal("UNAUTHORIZED", result.ErrorCode);
        Assert.DoesNotContain("wrong-password", result.Reason, StringComparison.Ordinal);
        Assert.False((await JudgeAsync(registries.Basic.Host, "alice", "wrong-password")).Pulls);
    }

    [Fact]
    public async Task Check_TokenRegistryRightPassword_ValidByBearerFlowAndSkopeoPulls()
    {
        var result = await CheckAsync(registries.Token.Host, "bob", RegistryFixture.Users["bob"]);

        Assert.Equal(CredentialVerdict.Valid, result.Verdict);
        Assert.Contains("Bearer", result.Reason, StringComparison.Ordinal);
        Assert.Equal(3, result.Requests); // /v2/ → 401 Bearer, token, /v2/ with the token
        Assert.True((await JudgeAsync(registries.Token.Host, "bob", RegistryFixture.Users["bob"])).Pulls);
    }

    [Fact]
    public async Task Check_TokenRegistryWrongPassword_RejectedByTokenServiceAndSkopeoFails()
    {
        var result = await CheckAsync(registries.Token.Host, "bob", "not-bobs-password");

        Assert.Equal(CredentialVerdict.Rejected, result.Verdict);
        Assert.Equal("UNAUTHORIZED", result.ErrorCode);
        Assert.Contains("token service", result.Reason, StringComparison.Ordinal);
        Assert.False((await JudgeAsync(registries.Token.Host, "bob", "not-bobs-password")).Pulls);
    }

    [Fact]
    public async Task Check_IdentityTokenKnownToIssuer_ValidByRefreshTokenGrant()
    {
        registries.Issuer.RefreshTokens["refresh-known"] = "alice";

        var result = await CheckEntryAsync(IdentityTokenEntry(registries.Token.Host, "refresh-known"));

        Assert.Equal(CredentialVerdict.Valid, result.Verdict);
        Assert.True((await registries.SkopeoInspectAsync(IdentityTokenConfig(registries.Token.Host, "refresh-known"), $"{registries.Token.Host}/{RegistryFixture.Image}")).Pulls);
    }

    [Fact]
    public async Task Check_IdentityTokenRevokedByIssuer_RejectedWithInvalidGrant()
    {
        registries.Issuer.RefreshTokens["refresh-revoked"] = "alice";
        registries.Issuer.RefreshTokens.TryRemove("refresh-revoked", out _);

        var result = await CheckEntryAsync(IdentityTokenEntry(registries.Token.Host, "refresh-revoked"));

        Assert.Equal(CredentialVerdict.Rejected, result.Verdict);
        Assert.Equal("invalid_grant", result.ErrorCode);
        Assert.False((await registries.SkopeoInspectAsync(IdentityTokenConfig(registries.Token.Host, "refresh-revoked"), $"{registries.Token.Host}/{RegistryFixture.Image}")).Pulls);
    }

    [Fact]
    public async Task Check_JwtPasswordExpired_RejectedWithExpiresAtInThePast()
    {
        var expiry = DateTimeOffset.UtcNow.AddHours(-1);
        var jwt = Robot(expiry);
        registries.Issuer.Passwords["robot-expired"] = jwt;

        var result = await CheckAsync(registries.Token.Host, "robot-expired", jwt);

        Assert.Equal(CredentialVerdict.Rejected, result.Verdict);
        Assert.Equal(expiry.ToUnixTimeSeconds(), result.ExpiresAt?.ToUnixTimeSeconds());
        Assert.False((await JudgeAsync(registries.Token.Host, "robot-expired", jwt)).Pulls);
    }

    [Fact]
    public async Task Check_JwtPasswordValidForDays_ValidWithExpiresAt()
    {
        var expiry = DateTimeOffset.UtcNow.AddDays(3);
        var jwt = Robot(expiry);
        registries.Issuer.Passwords["robot-fresh"] = jwt;

        var result = await CheckAsync(registries.Token.Host, "robot-fresh", jwt);

        Assert.Equal(CredentialVerdict.Valid, result.Verdict);
        Assert.Equal(expiry.ToUnixTimeSeconds(), result.ExpiresAt?.ToUnixTimeSeconds());
        Assert.True((await JudgeAsync(registries.Token.Host, "robot-fresh", jwt)).Pulls);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task Check_ProbeImagePresent_ValidWithOneMoreRequest(string registry)
    {
        var host = registry == "basic" ? registries.Basic.Host : registries.Token.Host;

        var result = await CheckAsync(host, "alice", RegistryFixture.Users["alice"], probe: $"{host}/{RegistryFixture.Image}");

        Assert.Equal(CredentialVerdict.Valid, result.Verdict);
        Assert.Contains("pullable", result.Reason, StringComparison.Ordinal);
        Assert.Equal(registry == "basic" ? 3 : 4, result.Requests);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task Check_ProbeImageAbsent_ProbeFailedManifestUnknown(string registry)
    {
        var host = registry == "basic" ? registries.Basic.Host : registries.Token.Host;

        var result = await CheckAsync(host, "alice", RegistryFixture.Users["alice"], probe: $"{host}/team/absent:1");

        Assert.Equal(CredentialVerdict.ProbeFailed, result.Verdict);
        Assert.Equal("MANIFEST_UNKNOWN", result.ErrorCode);
        Assert.False((await registries.SkopeoInspectAsync(RegistryFixture.DockerConfig((host, "alice", RegistryFixture.Users["alice"])), $"{host}/team/absent:1")).Pulls);
    }

    [Fact]
    public async Task Check_ProbeImageNotAllowedForUser_ProbeFailedAfterLogin()
    {
        registries.Issuer.Passwords["nopull"] = "nopull-pass";
        registries.Issuer.NoPull["nopull"] = true;
        var host = registries.Token.Host;

        var result = await CheckAsync(host, "nopull", "nopull-pass", probe: $"{host}/{RegistryFixture.Image}");

        Assert.Equal(CredentialVerdict.ProbeFailed, result.Verdict);
        Assert.Equal("UNAUTHORIZED", result.ErrorCode);
        Assert.False((await JudgeAsync(host, "nopull", "nopull-pass")).Pulls);
    }

    [Fact]
    public async Task Check_RegistryDown_UnreachableNamingTcp()
    {
        var result = await CheckAsync($"127.0.0.1:{RegistryTools.FreePort()}", "alice", "whatever");

        Assert.Equal(CredentialVerdict.Unreachable, result.Verdict);
        Assert.Contains("TCP", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_TokenIssuerDown_UnreachableNamingTheTokenStep()
    {
        var result = await CheckAsync(registries.IssuerDown.Host, "alice", RegistryFixture.Users["alice"]);

        Assert.Equal(CredentialVerdict.Unreachable, result.Verdict);
        Assert.Contains("TCP", result.Reason, StringComparison.Ordinal);
        Assert.Equal(2, result.Requests);
    }

    [Fact]
    public async Task Check_WithoutTheCaBundle_UnreachableNamingTls()
    {
        var result = await CheckAsync(registries.Basic.Host, "alice", RegistryFixture.Users["alice"], trustCa: false);

        Assert.Equal(CredentialVerdict.Unreachable, result.Verdict);
        Assert.Contains("TLS", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_PathScopedKeysOfOneHost_EachIdentityGetsItsOwnVerdict()
    {
        var host = registries.Basic.Host;
        var entries = Entries(RegistryFixture.DockerConfig(($"{host}/team", "alice", RegistryFixture.Users["alice"]), ($"{host}/other", "bob", "bob-wrong")));

        var team = await CheckEntryAsync(entries.Single(e => e.Key.EndsWith("/team", StringComparison.Ordinal)), $"{host}/{RegistryFixture.Image}");
        var other = await CheckEntryAsync(entries.Single(e => e.Key.EndsWith("/other", StringComparison.Ordinal)), $"{host}/{RegistryFixture.Image}");

        Assert.Equal(CredentialVerdict.Valid, team.Verdict);
        Assert.Contains("pullable", team.Reason, StringComparison.Ordinal); // the probe image is under /team
        Assert.Equal(CredentialVerdict.Rejected, other.Verdict);
        Assert.Equal(2, other.Requests); // the probe is not under /other: not fetched with bob's key
    }

    internal static CredentialChecker Checker(RegistryFixture registries, bool trustCa = true, TimeSpan? timeout = null)
    {
        var options = new CredentialChecksOptions { Mode = CheckMode.On, CaBundleFile = trustCa ? registries.Pki.CaFile : null, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        return new CredentialChecker(new RegistryTransport(options), Options.Create(options), TimeProvider.System);
    }

    internal static IReadOnlyList<RegistryEntry> Entries(string dockerConfigJson)
    {
        var parsed = DockerConfigParser.Parse(System.Text.Encoding.UTF8.GetBytes(dockerConfigJson), DockerConfigFormat.DockerConfigJson);
        Assert.True(parsed.IsValid, parsed.Problem);
        return parsed.Entries;
    }

    private static string IdentityTokenConfig(string host, string token) =>
        new JsonObject { ["auths"] = new JsonObject { [host] = new JsonObject { ["auth"] = Convert.ToBase64String("<token>:"u8.ToArray()), ["identitytoken"] = token } } }.ToJsonString();

    private static RegistryEntry IdentityTokenEntry(string host, string token) => Entries(IdentityTokenConfig(host, token)).Single();

    private string Robot(DateTimeOffset expiry) =>
        TestJwt.Sign(registries.Pki.SigningKey, new JsonObject { ["sub"] = "robot", ["exp"] = expiry.ToUnixTimeSeconds() });

    private Task<(bool Pulls, string Output)> JudgeAsync(string host, string user, string password) =>
        registries.SkopeoInspectAsync(RegistryFixture.DockerConfig((host, user, password)), $"{host}/{RegistryFixture.Image}");

    private Task<CheckResult> CheckAsync(string key, string user, string password, string? probe = null, bool trustCa = true) =>
        CheckEntryAsync(Entries(RegistryFixture.DockerConfig((key, user, password))).Single(), probe, trustCa);

    private async Task<CheckResult> CheckEntryAsync(RegistryEntry entry, string? probe = null, bool trustCa = true)
    {
        Assert.True(CheckTarget.TryCreate(entry, probe, out var target, out var problem), problem);
        var result = await Checker(registries, trustCa).CheckAsync(target, CancellationToken.None);
        Assert.DoesNotContain(entry.Password.Length > 0 ? entry.Password : "\u0000", result.Reason, StringComparison.Ordinal);
        return result;
    }
}

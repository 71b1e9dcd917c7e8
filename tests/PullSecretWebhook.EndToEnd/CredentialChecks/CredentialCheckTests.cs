using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.Support;
using PullSecretWebhook.Tests.CredentialChecks.Support;

namespace PullSecretWebhook.EndToEnd.CredentialChecks;

/// <summary>Credential checks with the real control plane and a real token-auth registry: the product's merged Secret
/// really pulls (skopeo), and when the credential goes bad a Warning Event appears on the source Secret within one
/// check, with <c>/status</c> and the metric agreeing.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class CredentialCheckTests(ControlPlaneFixture fixture, RegistryFixture registries, ITestOutputHelper output) : IClassFixture<RegistryFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly ClusterScope _scope = fixture.NewScope(output);

    [Fact]
    public async Task CredentialRevokedAtTheRegistry_WarningEventWithinOneCheck_StatusAndMetricAgree()
    {
        var host = registries.Token.Host;
        registries.Issuer.Passwords["e2e-robot"] = "e2e-robot-pass";
        var sources = await _scope.CreateNamespaceAsync("src");
        var team = await _scope.CreateNamespaceAsync("team");
        await _scope.PutSourceAsync(sources, "robot", ClusterScope.DockerConfig((host, "e2e-robot", "e2e-robot-pass")), new Dictionary<string, string>
        {
            ["pullsecret-webhook.io/probe-image"] = $"{host}/{RegistryFixture.Image}",
        });
        var product = await _scope.StartProductAsync(sources, new Dictionary<string, string>
        {
            ["CredentialChecks:Mode"] = "On",
            ["CredentialChecks:Interval"] = Interval.ToString(),
            ["CredentialChecks:Timeout"] = "00:00:05",
            ["CredentialChecks:CaBundleFile"] = registries.Pki.CaFile,
        });
        await _scope.WaitForRegistriesAsync(team, host);

        // skopeo, with the product's own merged Secret as read from the API server, is the judge: it pulls.
        var rendered = await RenderedAsync(team);
        Assert.True((await registries.SkopeoInspectAsync(rendered, $"{host}/{RegistryFixture.Image}")).Pulls, "the product's Secret pulls");
        Assert.False((await registries.SkopeoInspectAsync(RegistryFixture.DockerConfig((host, "e2e-robot", "wrong")), $"{host}/{RegistryFixture.Image}")).Pulls, "a wrong Secret does not");
        await Eventually.WaitUntilAsync(async () => Verdict(await product.StatusAsync(), sources) == "Valid", "the credential is Valid", diagnostics: _scope.Diagnostics);
        Assert.Contains("pullable", (string?)Check(await product.StatusAsync(), sources)!["reason"], StringComparison.Ordinal);

        registries.Issuer.Passwords.TryRemove("e2e-robot", out _);
        var revoked = DateTimeOffset.UtcNow;

        // Within one check: the next interval plus the check's own timeout.
        await Eventually.WaitUntilAsync(
            async () => (await _scope.EventsAboutAsync(sources, "robot")).Any(e => e.StartsWith("Warning CredentialRejected", StringComparison.Ordinal)),
            "a CredentialRejected Warning Event on the source Secret",
            Interval + TimeSpan.FromSeconds(5) + TimeSpan.FromSeconds(10),
            _scope.Diagnostics);
        output.WriteLine($"CredentialRejected after {DateTimeOffset.UtcNow - revoked}");
        var @event = (await _scope.EventsAboutAsync(sources, "robot")).First(e => e.StartsWith("Warning CredentialRejected", StringComparison.Ordinal));
        Assert.Contains("UNAUTHORIZED", @event, StringComparison.Ordinal);
        Assert.DoesNotContain("e2e-robot-pass", @event, StringComparison.Ordinal);

        var status = await product.StatusAsync();
        Assert.Equal("Rejected", Verdict(status, sources));
        Assert.Equal("UNAUTHORIZED", (string?)Check(status, sources)!["errorCode"]);
        Assert.Equal(1, await product.MetricAsync("pullsecret_webhook_credentials", "verdict=\"rejected\""));
        Assert.Equal(0, await product.MetricAsync("pullsecret_webhook_credentials", "verdict=\"valid\""));
        Assert.True(await product.MetricAsync("pullsecret_webhook_credential_checks_total", "result=\"rejected\"") >= 1);
        Assert.DoesNotContain("e2e-robot-pass", status.ToJsonString(), StringComparison.Ordinal);
        Assert.False((await registries.SkopeoInspectAsync(await RenderedAsync(team), $"{host}/{RegistryFixture.Image}")).Pulls, "skopeo agrees: no longer pulls");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    private async Task<string> RenderedAsync(string ns)
    {
        var secret = (await _scope.GetSecretAsync(ns))!;
        return Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![".dockerconfigjson"]!));
    }

    private static JsonNode? Check(JsonObject status, string sources) =>
        status["sources"]?.AsArray().SingleOrDefault(s => (string?)s!["source"] == $"{sources}/robot")?["checks"]?.AsArray().SingleOrDefault();

    private static string? Verdict(JsonObject status, string sources) => (string?)Check(status, sources)?["verdict"];
}

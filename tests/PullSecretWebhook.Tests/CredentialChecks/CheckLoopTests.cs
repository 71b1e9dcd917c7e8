using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using PullSecretWebhook.Tests.CredentialChecks.Support;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.CredentialChecks;

/// <summary>The check loop in the server, against the fake API server and the real registries: when it checks
/// (start, change, interval; once per distinct credential, never per namespace), where verdicts are reported
/// (/status, metrics, Events), and that nothing is checked when checks are off or by a follower.</summary>
[Collection(RegistryGroup.Name)]
public sealed class CheckLoopTests(RegistryFixture registries) : IAsyncLifetime
{
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Loop_SourceRotatedFromWrongToRightPassword_RejectedThenValidOnTheChange()
    {
        var host = registries.Basic.Host;
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("registry", ReconcilerHarness.DockerConfig((host, "alice", "old-password")));
        using var client = Start(new FakeTimeProvider()).CreateClient();

        await WaitForVerdictAsync(client, "registry", host, "Rejected");
        await Eventually.WaitUntilAsync(() => Events("registry", "CredentialRejected").Count == 1, "a CredentialRejected Event on the source");
        Assert.Contains("UNAUTHORIZED", (string?)Events("registry", "CredentialRejected")[0]["message"], StringComparison.Ordinal);
        Assert.Equal(1, Metric(await MetricsAsync(client), "pullsecret_webhook_credentials", "verdict", "rejected"));

        _cluster.PutSource("registry", ReconcilerHarness.DockerConfig((host, "alice", RegistryFixture.Users["alice"])));

        // The interval is 10 minutes on a clock that does not move: only the change can trigger this check.
        await WaitForVerdictAsync(client, "registry", host, "Valid");
        var metrics = await MetricsAsync(client);
        Assert.Equal(1, Metric(metrics, "pullsecret_webhook_credential_checks_total", "result", "rejected"));
        Assert.Equal(1, Metric(metrics, "pullsecret_webhook_credential_checks_total", "result", "valid"));
        Assert.Equal(1, Metric(metrics, "pullsecret_webhook_credentials", "verdict", "valid"));
        Assert.Equal(0, Metric(metrics, "pullsecret_webhook_credentials", "verdict", "rejected"));
        Assert.DoesNotContain("old-password", await client.GetStringAsync(new Uri("/status", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loop_CredentialRevokedAtTheIssuer_RejectedAndWarnedAtTheNextInterval()
    {
        var host = registries.Token.Host;
        registries.Issuer.Passwords["carol"] = "carol-pass";
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("robot", ReconcilerHarness.DockerConfig((host, "carol", "carol-pass")));
        var time = new FakeTimeProvider();
        using var client = Start(time).CreateClient();
        await WaitForVerdictAsync(client, "robot", host, "Valid");
        Assert.Empty(Events("robot", "CredentialRejected"));

        registries.Issuer.Passwords.TryRemove("carol", out _);
        time.Advance(TimeSpan.FromMinutes(10));

        await WaitForVerdictAsync(client, "robot", host, "Rejected");
        await Eventually.WaitUntilAsync(() => Events("robot", "CredentialRejected").Count == 1, "a CredentialRejected Event within one check");
        Assert.Equal(1, Metric(await MetricsAsync(client), "pullsecret_webhook_credentials", "verdict", "rejected"));
    }

    [Fact]
    public async Task Loop_OneCredentialInTwoSourcesAndManyNamespaces_CheckedOnce()
    {
        var host = registries.Basic.Host;
        foreach (var ns in new[] { "team-a", "team-b", "team-c" })
        {
            _cluster.CreateNamespace(ns);
        }

        _cluster.PutSource("first", ReconcilerHarness.DockerConfig((host, "bob", RegistryFixture.Users["bob"])));
        _cluster.PutSource("second", ReconcilerHarness.DockerConfig((host, "bob", RegistryFixture.Users["bob"])));
        using var client = Start(new FakeTimeProvider()).CreateClient();

        await WaitForVerdictAsync(client, "first", host, "Valid");
        await WaitForVerdictAsync(client, "second", host, "Valid");
        await _cluster.WaitForRegistriesAsync("team-c", host);
        var metrics = await MetricsAsync(client);
        Assert.Equal(1, Metric(metrics, "pullsecret_webhook_credential_checks_total", "result", "valid"));
        Assert.Equal(1, Metric(metrics, "pullsecret_webhook_credentials", "verdict", "valid"));
    }

    [Fact]
    public async Task Loop_JwtPasswordNearExpiry_ValidWithExpiresAtAndExpiringEvent()
    {
        var host = registries.Token.Host;
        var expiry = DateTimeOffset.UtcNow.AddDays(2);
        var jwt = TestJwt.Sign(registries.Pki.SigningKey, new JsonObject { ["sub"] = "robot", ["exp"] = expiry.ToUnixTimeSeconds() });
        registries.Issuer.Passwords["robot-soon"] = jwt;
        _cluster.PutSource("soon", ReconcilerHarness.DockerConfig((host, "robot-soon", jwt)));

        // A FakeTimeProvider starts on 2000-01-01, decades before the JWT's exp: the real clock decides "soon" here.
        using var client = Start(TimeProvider.System).CreateClient();

        var check = await WaitForVerdictAsync(client, "soon", host, "Valid");
        Assert.Equal(expiry.ToUnixTimeSeconds(), DateTimeOffset.Parse((string)check["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        await Eventually.WaitUntilAsync(() => Events("soon", "CredentialExpiring").Count == 1, "a CredentialExpiring Event");
        Assert.DoesNotContain(jwt, await client.GetStringAsync(new Uri("/status", UriKind.Relative)), StringComparison.Ordinal);
        Assert.DoesNotContain(jwt, (string?)Events("soon", "CredentialExpiring")[0]["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loop_ProbeAnnotationNotAnImage_UncheckedWithReason()
    {
        _cluster.PutSource("bad-probe", ReconcilerHarness.DockerConfig((registries.Basic.Host, "alice", RegistryFixture.Users["alice"])), annotations: new() { ["pullsecret-webhook.io/probe-image"] = "Not An Image!" });
        _cluster.PutSource("good", ReconcilerHarness.DockerConfig(($"{registries.Basic.Host}/team", "bob", RegistryFixture.Users["bob"])), annotations: new() { ["pullsecret-webhook.io/probe-image"] = $"{registries.Basic.Host}/{RegistryFixture.Image}" });
        using var client = Start(new FakeTimeProvider()).CreateClient();

        var good = await WaitForVerdictAsync(client, "good", $"{registries.Basic.Host}/team", "Valid");
        var bad = await CheckOfAsync(client, "bad-probe");

        Assert.Contains("pullable", (string?)good["reason"], StringComparison.Ordinal);
        Assert.Equal("Unchecked", (string?)bad!["verdict"]);
        Assert.Contains("pullsecret-webhook.io/probe-image is not an image reference", (string?)bad["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loop_ModeOff_NoRegistryTrafficAndUnchecked()
    {
        var before = registries.Issuer.Requests;
        _cluster.CreateNamespace("team-a");
        _cluster.PutSource("robot", ReconcilerHarness.DockerConfig((registries.Token.Host, "alice", RegistryFixture.Users["alice"])));
        using var client = _cluster.StartServer(new() { ["LeaderElection:Enabled"] = "false" }).CreateClient();
        await _cluster.WaitForRegistriesAsync("team-a", registries.Token.Host);

        var status = await client.GetFromJsonAsync<JsonObject>("/status");

        var check = status!["sources"]!.AsArray().Single(s => (string?)s!["source"] == $"{ReconcilerHarness.SourceNamespace}/robot")!["checks"]!.AsArray().Single()!;
        Assert.Equal("Unchecked", (string?)check["verdict"]);
        Assert.Contains("CredentialChecks:Mode", (string?)check["reason"], StringComparison.Ordinal);
        Assert.Equal(before, registries.Issuer.Requests);
    }

    [Fact]
    public async Task Loop_TwoReplicas_OnlyTheLeaseHolderChecks()
    {
        var host = registries.Basic.Host;
        var options = new FakeKubeApiServer.FakeApiServerOptions();
        options.Tokens["token-1"] = "replica-1";
        options.Tokens["token-2"] = "replica-2";
        await using var cluster = await ReconcilerHarness.StartAsync(options);
        cluster.PutSource("registry", ReconcilerHarness.DockerConfig((host, "alice", RegistryFixture.Users["alice"])));
        var settings = new Dictionary<string, string?> { ["CredentialChecks:Mode"] = "On", ["CredentialChecks:CaBundleFile"] = registries.Pki.CaFile };
        using var first = cluster.StartServer(new(settings) { ["POD_NAME"] = "replica-1" }, token: "token-1").CreateClient();
        using var second = cluster.StartServer(new(settings) { ["POD_NAME"] = "replica-2" }, token: "token-2").CreateClient();

        await Eventually.WaitUntilAsync(() => Leader(first) != Leader(second), "one replica leads", TimeSpan.FromSeconds(20));
        var (leader, follower) = Leader(first) ? (first, second) : (second, first);
        await WaitForVerdictAsync(leader, "registry", host, "Valid");

        var followerCheck = await CheckOfAsync(follower, "registry");
        Assert.Equal("Unchecked", (string?)followerCheck!["verdict"]);
        Assert.Contains("Lease holder", (string?)followerCheck["reason"], StringComparison.Ordinal);
        Assert.Equal(0, Metric(await MetricsAsync(follower), "pullsecret_webhook_credential_checks_total", "result", "valid"));
    }

    private static bool Leader(HttpClient client) => (bool)client.GetFromJsonAsync<JsonObject>("/status").GetAwaiter().GetResult()!["leader"]!;

    private WebhookFactory Start(TimeProvider time) => _cluster.StartServer(
        new()
        {
            ["LeaderElection:Enabled"] = "false",
            ["CredentialChecks:Mode"] = "On",
            ["CredentialChecks:CaBundleFile"] = registries.Pki.CaFile,
        },
        time: time);

    private static async Task<JsonNode?> CheckOfAsync(HttpClient client, string source)
    {
        var status = await client.GetFromJsonAsync<JsonObject>("/status");
        return status!["sources"]!.AsArray().SingleOrDefault(s => (string?)s!["source"] == $"{ReconcilerHarness.SourceNamespace}/{source}")?["checks"]?.AsArray().SingleOrDefault();
    }

    private static async Task<JsonNode> WaitForVerdictAsync(HttpClient client, string source, string key, string verdict)
    {
        JsonNode? check = null;
        await Eventually.WaitUntilAsync(
            () =>
            {
                check = CheckOfAsync(client, source).GetAwaiter().GetResult();
                return (string?)check?["key"] == key && (string?)check["verdict"] == verdict;
            },
            $"{source} is {verdict}",
            TimeSpan.FromSeconds(30));
        return check!;
    }

    private List<JsonObject> Events(string source, string reason) =>
        [.. _cluster.Fake.Store.List("v1", "events", ReconcilerHarness.SourceNamespace)
            .Where(e => (string?)e["reason"] == reason && (string?)e["involvedObject"]!["name"] == source)];

    private static Task<string> MetricsAsync(HttpClient client) => client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    private static long Metric(string metrics, string name, string label, string value)
    {
        var match = Regex.Match(metrics, $"^{Regex.Escape(name)}\\{{{label}=\"{Regex.Escape(value)}\"\\}} (\\d+)", RegexOptions.Multiline);
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}

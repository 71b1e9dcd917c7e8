using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PullSecretWebhook.Tests.CredentialChecks.Support;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.CredentialChecks;

/// <summary>With checks on, at Debug, against real registries: no password, auth value, identity token or token the
/// registry's token service handed out appears in logs, <c>/status</c>, metrics or Events.</summary>
[Collection(RegistryGroup.Name)]
public sealed class CheckHygieneTests(RegistryFixture registries)
{
    [Fact]
    public async Task ChecksOn_AtDebug_NoCredentialOrTokenInLogsStatusMetricsOrEvents()
    {
        var run = Guid.NewGuid().ToString("N")[..10];
        var wrong = $"wrong-pw-{run}";
        var refresh = $"refresh-{run}";
        var jwt = TestJwt.Sign(registries.Pki.SigningKey, new JsonObject { ["sub"] = "hygiene", ["exp"] = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds() });
        registries.Issuer.RefreshTokens[refresh] = "alice";
        registries.Issuer.Passwords["hygiene-robot"] = jwt;
        var issuedBefore = registries.Issuer.Issued.Count;
        await using var cluster = await ReconcilerHarness.StartAsync();
        cluster.CreateNamespace("team-a");
        cluster.PutSource("basic-right", ReconcilerHarness.DockerConfig((registries.Basic.Host, "alice", RegistryFixture.Users["alice"])));
        cluster.PutSource("basic-wrong", ReconcilerHarness.DockerConfig(($"{registries.Basic.Host}/x", "bob", wrong)));
        cluster.PutSource("token-jwt", ReconcilerHarness.DockerConfig((registries.Token.Host, "hygiene-robot", jwt)));
        cluster.PutSource("token-identity", new JsonObject
        {
            ["auths"] = new JsonObject { [$"{registries.Token.Host}/team"] = new JsonObject { ["auth"] = Convert.ToBase64String("<token>:"u8.ToArray()), ["identitytoken"] = refresh } },
        }.ToJsonString());
        var logs = new FakeLoggerProvider();
        var server = cluster.StartServer(
            new()
            {
                ["LeaderElection:Enabled"] = "false",
                ["CredentialChecks:Mode"] = "On",
                ["CredentialChecks:CaBundleFile"] = registries.Pki.CaFile,
                ["Logging:LogLevel:Default"] = "Debug",
                ["Logging:LogLevel:Microsoft"] = "Debug",
                ["Logging:LogLevel:System.Net.Http"] = "Trace",
            },
            services: s => s.AddLogging(l => l.AddProvider(logs)));
        using var client = server.CreateClient();

        await Eventually.WaitUntilAsync(
            () =>
            {
                var status = client.GetStringAsync(new Uri("/status", UriKind.Relative)).GetAwaiter().GetResult();
                return !status.Contains("\"Unchecked\"", StringComparison.Ordinal);
            },
            "every key has a verdict",
            TimeSpan.FromSeconds(30));
        await Eventually.WaitUntilAsync(() => Events(cluster).Contains("CredentialRejected", StringComparison.Ordinal), "the wrong password is reported");
        await Eventually.WaitUntilAsync(() => Events(cluster).Contains("CredentialExpiring", StringComparison.Ordinal), "the JWT's expiry is reported");

        var issued = registries.Issuer.Issued.Skip(issuedBefore).ToList();
        Assert.NotEmpty(issued); // the Bearer flow ran, so there were tokens to leak
        var forbidden = new List<string> { wrong, refresh, jwt, RegistryFixture.Users["alice"] };
        forbidden.AddRange(forbidden.ToList().Select(s => Convert.ToBase64String(Encoding.UTF8.GetBytes(s))));
        forbidden.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{RegistryFixture.Users["alice"]}")));
        forbidden.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"bob:{wrong}")));
        forbidden.AddRange(issued);
        var everything = new Dictionary<string, string>
        {
            ["logs"] = string.Join('\n', logs.Collector.GetSnapshot().Select(e => e.AllText())),
            ["status"] = await client.GetStringAsync(new Uri("/status", UriKind.Relative)),
            ["metrics"] = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            ["events"] = Events(cluster),
        };
        Assert.Contains("Credential", everything["logs"], StringComparison.Ordinal); // the checks did log
        foreach (var (where, text) in everything)
        {
            foreach (var secret in forbidden)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a credential or token appears in {where}");
            }
        }
    }

    private static string Events(ReconcilerHarness cluster) =>
        string.Join('\n', cluster.Fake.Store.List("v1", "events", ReconcilerHarness.SourceNamespace).Select(e => e.ToJsonString()));
}

using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Admission;

/// <summary><c>Injection:Mode=MatchingRegistries</c> (README, "Registry-aware injection"): inject only when an image of
/// the Pod matches a registry key exported to its namespace, by the kubelet's rules.</summary>
public sealed class RegistryAwareInjectionTests
{
    private static readonly Dictionary<string, string?> MatchingMode = new() { ["Injection:Mode"] = "MatchingRegistries" };

    [Theory]
    [InlineData("containers", "registry.example.com/team-a/app:1.0", true)]
    [InlineData("initContainers", "registry.example.com/init@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true)]
    [InlineData("ephemeralContainers", "registry.example.com/debug", true)]
    [InlineData("containers", "ghcr.io/other/app:1.0", false)]
    [InlineData("containers", "ubuntu:22.04", false)]
    [InlineData("containers", "Not A Valid Image", false)]
    public async Task MatchingRegistries_InjectsOnlyWhenAnImageMatches(string list, string image, bool injected)
    {
        await using var factory = new WebhookFactory(MatchingMode, new StubFacts(Keyring("registry.example.com")));
        var review = Reviews.PodCreate();
        var spec = review["request"]!["object"]!["spec"]!.AsObject();
        spec["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "busybox" });
        spec[list] = new JsonArray(new JsonObject { ["name"] = "x", ["image"] = image });

        var (_, answer) = await AdmissionClient.PostAsync(factory.CreateClient(), review);

        Assert.Equal(injected, AdmissionClient.Patch(answer) is not null);
    }

    [Fact]
    public async Task MatchingRegistries_DockerHubKey_ServesUnqualifiedImages()
    {
        await using var factory = new WebhookFactory(MatchingMode, new StubFacts(Keyring("https://index.docker.io/v1/")));
        var review = Reviews.PodCreate();
        review["request"]!["object"]!["spec"]!["containers"]![0]!["image"] = "team/app:1.0";

        var (_, answer) = await AdmissionClient.PostAsync(factory.CreateClient(), review);

        Assert.NotNull(AdmissionClient.Patch(answer));
    }

    [Fact]
    public async Task MatchingRegistries_NoMatch_IsCountedAsNoMatchingRegistry()
    {
        await using var factory = new WebhookFactory(MatchingMode, new StubFacts(Keyring("ghcr.io")));
        var client = factory.CreateClient();

        var (_, answer) = await AdmissionClient.PostAsync(client, Reviews.PodCreate());
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Null(AdmissionClient.Patch(answer));
        Assert.Contains("reason=\"no_matching_registry\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MatchingRegistries_CredentialsUnknown_Injects()
    {
        await using var factory = new WebhookFactory(MatchingMode, new StubFacts(null));

        var (_, answer) = await AdmissionClient.PostAsync(factory.CreateClient(), Reviews.PodCreate());

        Assert.NotNull(AdmissionClient.Patch(answer));
    }

    [Fact]
    public async Task Always_NoMatch_StillInjects()
    {
        await using var factory = new WebhookFactory(facts: new StubFacts(Keyring("ghcr.io")));

        var (_, answer) = await AdmissionClient.PostAsync(factory.CreateClient(), Reviews.PodCreate());

        Assert.NotNull(AdmissionClient.Patch(answer));
    }

    [Fact]
    public async Task MatchingRegistries_SkipRulesComeFirst()
    {
        await using var factory = new WebhookFactory(MatchingMode, new StubFacts(Keyring("ghcr.io")));
        var review = Reviews.PodCreate(labels: new JsonObject { ["pullsecret-webhook.io/inject"] = "false" });

        var (_, answer) = await AdmissionClient.PostAsync(factory.CreateClient(), review);
        var metrics = await factory.CreateClient().GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Null(AdmissionClient.Patch(answer));
        Assert.Contains("reason=\"pod_opted_out\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MatchingRegistries_WithoutCluster_SaysItFallsBackToAlways()
    {
        var logs = new FakeLoggerProvider();
        await using var factory = new WebhookFactory(MatchingMode, services: s => s.AddLogging(b => b.AddProvider(logs)));

        var (_, answer) = await AdmissionClient.PostAsync(factory.CreateClient(), Reviews.PodCreate());

        Assert.NotNull(AdmissionClient.Patch(answer));
        Assert.Contains(logs.Collector.GetSnapshot(), e => e.Message.Contains("MatchingRegistries", StringComparison.Ordinal) && e.Message.Contains("(Always)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MatchingRegistries_AgainstCluster_FollowsTheExportedCredentials()
    {
        await using var cluster = await ReconcilerHarness.StartAsync();
        cluster.CreateNamespace("team-a");
        cluster.CreateNamespace("team-b");
        cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")), annotations: new() { ["pullsecret-webhook.io/to-namespaces"] = "team-a" });
        var server = cluster.StartServer(MatchingMode);
        var client = server.CreateClient();
        await cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");

        Assert.NotNull(await PatchForAsync(client, "team-a", "harbor.example.com/app:1"));
        Assert.Null(await PatchForAsync(client, "team-a", "ghcr.io/app:1"));
        Assert.Null(await PatchForAsync(client, "team-b", "harbor.example.com/app:1"));

        // A newly exported registry is served as soon as the caches see it.
        cluster.PutSource("ghcr", ReconcilerHarness.DockerConfig(("ghcr.io", "bot", "pw")));
        await cluster.WaitForRegistriesAsync("team-b", "ghcr.io");
        Assert.NotNull(await PatchForAsync(client, "team-b", "ghcr.io/app:1"));
    }

    private static async Task<JsonArray?> PatchForAsync(HttpClient client, string ns, string image)
    {
        var review = Reviews.PodCreate(ns: ns);
        review["request"]!["object"]!["spec"]!["containers"]![0]!["image"] = image;
        var (_, answer) = await AdmissionClient.PostAsync(client, review);
        return AdmissionClient.Patch(answer);
    }

    private static RegistryKeyring Keyring(params string[] keys)
    {
        var config = new JsonObject();
        foreach (var key in keys)
        {
            config[key] = new JsonObject { ["username"] = "u", ["password"] = "p" };
        }

        return new RegistryKeyring(DockerConfigParser.Parse(Encoding.UTF8.GetBytes(config.ToJsonString()), DockerConfigFormat.DockerCfg).Entries);
    }

    private sealed class StubFacts(RegistryKeyring? keyring) : INamespaceFactsSource
    {
        public NamespaceFacts Get(string namespaceName) => NamespaceFacts.Unknown;

        public RegistryKeyring? ExportedKeyring(string namespaceName) => keyring;
    }
}

using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Credentials;

/// <summary>Every case of tests/Fixtures/keyring-cases.json: the kubelet's registry matching, its image name
/// normalisation, and the two together.</summary>
public sealed class KeyringCasesTests
{
    private static readonly JsonObject Fixture = Fixtures.Load(Path.Combine(Fixtures.Directory, "keyring-cases.json"));

    public static TheoryData<string> LookupCases() => Names("cases");

    public static TheoryData<string> NormalizationCases() => Names("image_normalization_cases");

    public static TheoryData<string> DerivedCases() => Names("derived_cases");

    public static TheoryData<string> SecretCases() => Names("secret_cases");

    [Theory]
    [MemberData(nameof(LookupCases))]
    public void Lookup_FixtureCase_ReturnsKubeletUsernamesInOrder(string name)
    {
        var @case = Case("cases", name);
        var keyring = KeyringOf(@case["raw_config"]?.AsObject() ?? @case["config"]!.AsObject());

        var matches = keyring.Lookup((string)@case["image"]!);

        Assert.Equal(Usernames(@case["expect"]), matches.Select(m => m.Entry.Username));
    }

    [Theory]
    [MemberData(nameof(NormalizationCases))]
    public void ParseImage_FixtureCase_NormalisesLikeTheKubelet(string name)
    {
        var @case = Case("image_normalization_cases", name);

        var parsed = ImageName.TryParse((string)@case["input"]!, out var image, out var problem);

        if (@case["expect_error_contains"] is { } error)
        {
            Assert.False(parsed);
            Assert.Contains((string)error!, problem, StringComparison.Ordinal);
            return;
        }

        Assert.True(parsed, problem);
        var expect = @case["expect"]!;
        Assert.Equal((string)expect["repo"]!, image.Repository);
        Assert.Equal((string)expect["tag"]!, image.Tag);
        Assert.Equal((string)expect["digest"]!, image.Digest);
    }

    [Theory]
    [MemberData(nameof(DerivedCases))]
    public void LookupImage_DerivedCase_MatchesKubeletEndToEnd(string name)
    {
        var @case = Case("derived_cases", name);
        var keyring = KeyringOf(@case["config"]!.AsObject());
        var image = (string)@case["image"]!;

        var matches = keyring.LookupImage(image, out var repository, out _);
        var raw = keyring.Lookup(image);

        Assert.Equal((string)@case["kubelet_lookup_key"]!, repository);
        Assert.Equal(Usernames(@case["expect"]), matches.Select(m => m.Entry.Username));
        Assert.Equal(Usernames(@case["expect_raw_lookup_without_normalisation"]), raw.Select(m => m.Entry.Username));
        Assert.Equal(matches.Count > 0, keyring.Matches(image));
    }

    [Theory]
    [MemberData(nameof(SecretCases))]
    public void Lookup_SecretCase_SecretContributesWhatTheKubeletReads(string name)
    {
        var @case = Case("secret_cases", name);
        var entries = new List<RegistryEntry>();
        foreach (var secret in @case["pull_secrets"]!.AsArray())
        {
            var data = secret!["data"]!.AsObject().ToDictionary(p => p.Key, p => Encoding.UTF8.GetBytes((string)p.Value!));
            var payload = SecretPayload.Read((string)secret["type"]!, data);
            entries.AddRange(payload.IsValid ? payload.Entries : []);
        }

        // Test_MakeDockerKeyring looks up the raw string, as the "cases" table does.
        var matches = new RegistryKeyring(entries).Lookup((string)@case["image"]!);

        // The node's own keyring answers after the pull secrets; only the secrets' part is ours to reproduce.
        var nodeUsers = Usernames(@case["node_keyring_usernames"]);
        Assert.Equal(Usernames(@case["expect"]).SkipLast(nodeUsers.Count), matches.Select(m => m.Entry.Username));
    }

    private static RegistryKeyring KeyringOf(JsonObject config)
    {
        var result = DockerConfigParser.Parse(Encoding.UTF8.GetBytes(config.ToJsonString()), DockerConfigFormat.DockerCfg);
        Assert.True(result.IsValid, result.Problem);
        return new RegistryKeyring(result.Entries);
    }

    private static List<string> Usernames(JsonNode? node) => node is null ? [] : [.. node.AsArray().Select(u => (string)u!)];

    private static JsonObject Case(string table, string name) =>
        Fixture[table]!.AsArray().Single(c => (string)c!["name"]! == name)!.AsObject();

    private static TheoryData<string> Names(string table) => [.. Fixture[table]!.AsArray().Select(c => (string)c!["name"]!)];
}

using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Credentials;

/// <summary>The cases of tests/Fixtures/dockerconfig-cases.json (Kubernetes and Docker test suites), plus the
/// rules they illustrate.</summary>
public sealed class DockerConfigParserTests
{
    public static TheoryData<string> CaseNames() => [.. Cases().Select(c => (string)c["name"]!)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Read_FixtureCase_MatchesKubeletResult(string name)
    {
        var @case = Cases().Single(c => (string)c["name"]! == name);
        var type = (string)@case["type"]!;
        var input = (string?)@case["input"];
        var dataKey = (string?)@case["data_key"] ?? SecretTypes.ForType(type)!.Value.DataKey;
        var present = (bool?)@case["data_key_present"] ?? input is not null;
        var data = present ? new Dictionary<string, byte[]> { [dataKey] = Encoding.UTF8.GetBytes(input ?? "") } : new Dictionary<string, byte[]>();

        var result = SecretPayload.Read(type, data);

        var expect = @case["expect"]!;
        Assert.Equal((bool)expect["valid"]!, result.IsValid);
        var expectedEntries = expect["entries"]!.AsObject();
        Assert.Equal(expectedEntries.Select(e => e.Key).Order(StringComparer.Ordinal), result.Entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var entry in result.Entries)
        {
            Assert.Equal((string?)expectedEntries[entry.Key]!["username"], entry.Username);
            Assert.Equal((string?)expectedEntries[entry.Key]!["password"], entry.Password);
        }
    }

    [Fact]
    public void Parse_Entry_KeepsEveryFieldForLosslessMerge()
    {
        var payload = """{"auths":{"ghcr.io":{"auth":"dTpw","email":"e@x","identitytoken":"tok","custom":{"nested":[1,2]}}}}""";

        var result = DockerConfigParser.Parse(Encoding.UTF8.GetBytes(payload), DockerConfigFormat.DockerConfigJson);

        var entry = Assert.Single(result.Entries);
        Assert.Equal("""{"auth":"dTpw","email":"e@x","identitytoken":"tok","custom":{"nested":[1,2]}}""", entry.Raw.ToJsonString());
    }

    [Theory]
    [InlineData("{\"auths\":{\"r\":{\"auth\":\"dTpw \"}}}", "not valid base64")]
    [InlineData("{\"auths\":{\"r\":{\"auth\":\"dTp=w\"}}}", "not valid base64")]
    [InlineData("{\"auths\":{\"r\":{\"auth\":\"d\"}}}", "not valid base64")]
    [InlineData("{\"auths\":{\"r\":{\"username\":1}}}", "'username' must be a string")]
    [InlineData("{\"auths\":{\"r\":[]}}", "must be an object")]
    [InlineData("{\"auths\":[]}", "auths must be an object")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"auths\":{},\"HttpHeaders\":5}", "HttpHeaders")]
    public void Parse_Invalid_NamesTheProblemWithoutQuotingValues(string payload, string problem)
    {
        var result = DockerConfigParser.Parse(Encoding.UTF8.GetBytes(payload), DockerConfigFormat.DockerConfigJson);

        Assert.False(result.IsValid);
        Assert.Contains(problem, result.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("dTp", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKeys_LastWinsAsInGo()
    {
        var payload = """{"auths":{"r":{"username":"first"},"r":{"username":"second"}}}""";

        var result = DockerConfigParser.Parse(Encoding.UTF8.GetBytes(payload), DockerConfigFormat.DockerConfigJson);

        Assert.Equal("second", Assert.Single(result.Entries).Username);
    }

    [Fact]
    public void Parse_NullEntryAndNullFields_AreEmptyNotErrors()
    {
        var payload = """{"auths":{"a":null,"b":{"username":null,"password":"p"}}}""";

        var result = DockerConfigParser.Parse(Encoding.UTF8.GetBytes(payload), DockerConfigFormat.DockerConfigJson);

        Assert.True(result.IsValid);
        Assert.Equal(["a", "b"], result.Entries.Select(e => e.Key));
        Assert.Equal(("", "p"), (result.Entries[1].Username, result.Entries[1].Password));
    }

    [Fact]
    public void Parse_LegacyMapUnderDockerConfigJson_IsValidButFlaggedAsHavingNoAuths()
    {
        var result = DockerConfigParser.Parse("""{"registry.example.com":{"auth":"dXNlcjpwYXNzd29yZA=="}}"""u8, DockerConfigFormat.DockerConfigJson);

        Assert.True(result.IsValid);
        Assert.Empty(result.Entries);
        Assert.False(result.HasAuthsKey);
    }

    [Theory]
    [InlineData("Opaque")]
    [InlineData(null)]
    [InlineData("kubernetes.io/tls")]
    public void Read_OtherSecretTypeHoldingACredentialKey_IsRefusedSayingHowToFixIt(string? type)
    {
        var result = SecretPayload.Read(type, new Dictionary<string, byte[]> { [".dockerconfigjson"] = "{\"auths\":{}}"u8.ToArray() });

        Assert.False(result.IsValid);
        Assert.Contains("holds a registry credential key, but the kubelet reads only kubernetes.io/dockerconfigjson", result.Problem, StringComparison.Ordinal);
        Assert.Contains("target.template.type", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Opaque")]
    [InlineData("kubernetes.io/basic-auth")]
    public void Read_OtherSecretTypeWithoutACredentialKey_IsInvalid(string type)
    {
        var result = SecretPayload.Read(type, new Dictionary<string, byte[]> { ["password"] = "x"u8.ToArray() });

        Assert.False(result.IsValid);
        Assert.Contains("not a registry credential type", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LegacyDockercfg_IsAccepted()
    {
        var result = SecretPayload.Read("kubernetes.io/dockercfg", new Dictionary<string, byte[]> { [".dockercfg"] = "{\"legacy.example.com\":{\"auth\":\"dTpw\"}}"u8.ToArray() });

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal("legacy.example.com", Assert.Single(result.Entries).Key);
    }

    [Fact]
    public void RegistryEntry_ToString_NeverShowsPassword()
    {
        var entry = new RegistryEntry("r", "user", "hunter2", new JsonObject());

        Assert.DoesNotContain("hunter2", entry.ToString(), StringComparison.Ordinal);
    }

    private static IEnumerable<JsonObject> Cases() =>
        Fixtures.Load(Path.Combine(Fixtures.Directory, "dockerconfig-cases.json"))["cases"]!.AsArray().Select(c => c!.AsObject());
}

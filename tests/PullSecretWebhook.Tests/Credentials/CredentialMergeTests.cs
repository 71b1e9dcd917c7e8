using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.Tests.Credentials;

public sealed class CredentialMergeTests
{
    [Fact]
    public void Merge_DisjointSources_UnionsKeysLosslesslyInSortedOrder()
    {
        var a = Source("platform", "harbor", """{"auths":{"harbor.example.com":{"auth":"dTpw","email":"ops@example.com","x-extra":{"k":[1]}}}}""");
        var b = Source("platform", "ghcr", """{"auths":{"ghcr.io":{"username":"bot","password":"tok"}}}""");

        var merged = CredentialMerge.Merge([a, b]);

        Assert.Equal(
            """{"auths":{"ghcr.io":{"username":"bot","password":"tok"},"harbor.example.com":{"auth":"dTpw","email":"ops@example.com","x-extra":{"k":[1]}}}}""",
            Encoding.UTF8.GetString(merged.Payload));
        Assert.Equal(["platform/ghcr", "platform/harbor"], merged.Sources);
        Assert.Empty(merged.Collisions);
    }

    [Fact]
    public void Merge_SameKeyInTwoSources_FirstByNamespaceNameWinsAndCollisionIsReported()
    {
        var later = Source("zeta", "creds", """{"auths":{"registry.example.com":{"username":"z","password":"1"}}}""");
        var first = Source("alpha", "creds", """{"auths":{"registry.example.com":{"username":"a","password":"2"}}}""");

        var merged = CredentialMerge.Merge([later, first]);

        var auths = JsonNode.Parse(merged.Payload)!["auths"]!;
        Assert.Equal("a", (string?)auths["registry.example.com"]!["username"]);
        Assert.Equal(new CredentialCollision("registry.example.com", "alpha/creds", "zeta/creds"), Assert.Single(merged.Collisions));
        Assert.Equal(["alpha/creds"], merged.Sources);
    }

    [Fact]
    public void Merge_PathScopedKeysForOneHost_AreDistinct()
    {
        var a = Source("p", "team-a", """{"auths":{"registry.example.com/team-a":{"username":"a","password":"1"}}}""");
        var b = Source("p", "team-b", """{"auths":{"registry.example.com/team-b":{"username":"b","password":"2"}}}""");

        var merged = CredentialMerge.Merge([a, b]);

        Assert.Equal(["registry.example.com/team-a", "registry.example.com/team-b"], merged.Keys);
        Assert.Empty(merged.Collisions);
    }

    [Fact]
    public void Merge_IsDeterministicWhateverTheInputOrder()
    {
        var a = Source("p", "a", """{"auths":{"b.io":{"auth":"dTpw"},"a.io":{"auth":"dTpw"}}}""");
        var b = Source("q", "b", """{"auths":{"c.io":{"auth":"dTpw"}}}""");

        Assert.Equal(CredentialMerge.Merge([a, b]).Payload, CredentialMerge.Merge([b, a]).Payload);
    }

    [Fact]
    public void Merge_LegacyDockerCfgSource_IsConvertedUnderAuths()
    {
        var parsed = DockerConfigParser.Parse("""{"https://index.docker.io/v1/":{"auth":"am9lam9lOmhlbGxv","email":"user@example.com"}}"""u8, DockerConfigFormat.DockerCfg);

        var merged = CredentialMerge.Merge([new CredentialSource("p", "legacy", parsed.Entries)]);

        Assert.Equal("""{"auths":{"https://index.docker.io/v1/":{"auth":"am9lam9lOmhlbGxv","email":"user@example.com"}}}""", Encoding.UTF8.GetString(merged.Payload));
    }

    [Fact]
    public void Merge_Output_ParsesBackToTheSameCredentials()
    {
        var a = Source("p", "a", """{"auths":{"r.io":{"auth":"dXNlcjpwYTpzcw=="},"s.io":{"username":"u","password":"p+/="}}}""");

        var merged = CredentialMerge.Merge([a]);
        var reparsed = DockerConfigParser.Parse(merged.Payload, DockerConfigFormat.DockerConfigJson);

        Assert.Equal([("r.io", "user", "pa:ss"), ("s.io", "u", "p+/=")], reparsed.Entries.Select(e => (e.Key, e.Username, e.Password)));
        Assert.Contains("p+/=", Encoding.UTF8.GetString(merged.Payload), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_NoEntries_IsEmpty()
    {
        Assert.True(CredentialMerge.Merge([Source("p", "a", """{"auths":{}}""")]).IsEmpty);
        Assert.True(CredentialMerge.Merge([]).IsEmpty);
    }

    private static CredentialSource Source(string ns, string name, string payload)
    {
        var parsed = DockerConfigParser.Parse(Encoding.UTF8.GetBytes(payload), DockerConfigFormat.DockerConfigJson);
        Assert.True(parsed.IsValid, parsed.Problem);
        return new CredentialSource(ns, name, parsed.Entries);
    }
}

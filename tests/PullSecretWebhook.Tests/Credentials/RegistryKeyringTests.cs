using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.Tests.Credentials;

/// <summary>The kubelet's matching rules one at a time (pkg/credentialprovider/keyring.go), beyond the fixture's cases.</summary>
public sealed class RegistryKeyringTests
{
    [Theory]
    [InlineData("registry.example.com", "registry.example.com")]
    [InlineData("https://registry.example.com", "registry.example.com")]
    [InlineData("http://registry.example.com/", "registry.example.com")]
    [InlineData("https://index.docker.io/v1/", "index.docker.io")]
    [InlineData("https://ghcr.io/v2/", "ghcr.io")]
    [InlineData("https://ghcr.io/v2/org", "ghcr.io/org")]
    [InlineData("ghcr.io/v1/org/", "ghcr.io/org/")]
    [InlineData("registry.example.com:5000/team", "registry.example.com:5000/team")]
    [InlineData("user@registry.example.com", "registry.example.com")]
    [InlineData("registry.example.com/a?query#fragment", "registry.example.com/a")]
    [InlineData("registry.example.com/a%20b", "registry.example.com/a b")]
    public void Normalize_Key_StoresItAsTheKubeletDoes(string written, string expected) =>
        Assert.Equal(expected, RegistryKeyring.Normalize(written));

    [Theory]
    [InlineData("registry.example.com:port")]
    [InlineData("registry example.com")]
    [InlineData("registry.example.com/%zz")]
    public void Normalize_KeyGoCannotParse_IsIgnored(string written)
    {
        Assert.Null(RegistryKeyring.Normalize(written));
        Assert.True(Keyring((written, "u")).IsEmpty);
    }

    [Theory]
    [InlineData("*.example.com", "registry.example.com/app", true)]
    [InlineData("*.example.com", "example.com/app", false)]
    [InlineData("*.example.com", "a.b.example.com/app", false)]
    [InlineData("*.*.example.com", "a.b.example.com/app", true)]
    [InlineData("reg?.example.com", "reg1.example.com/app", false)] // '?' starts the URL's query: the key is "reg"
    [InlineData("reg[0-9].example.com", "reg7.example.com/app", true)]
    [InlineData("reg[^0-9].example.com", "reg7.example.com/app", false)]
    [InlineData("reg[0-9.example.com", "reg7.example.com/app", false)]
    [InlineData("registry.example.com", "REGISTRY.example.com/app", false)]
    public void Lookup_GlobPerHostPart_MatchesLikeGoFilepathMatch(string key, string lookup, bool matches) =>
        Assert.Equal(matches, Keyring((key, "u")).Lookup(lookup).Count > 0);

    [Theory]
    [InlineData("registry.example.com:5000", "registry.example.com:5000/app", true)]
    [InlineData("registry.example.com:5000", "registry.example.com/app", false)]
    [InlineData("registry.example.com", "registry.example.com:443/app", false)]
    [InlineData("[::1]:5000", "[::1]:5000/app", true)]
    public void Lookup_Ports_AreComparedAsStrings(string key, string lookup, bool matches) =>
        Assert.Equal(matches, Keyring((key, "u")).Lookup(lookup).Count > 0);

    [Fact]
    public void Lookup_SeveralKeysMatch_AllAreTriedInReverseByteOrder()
    {
        var keyring = Keyring(("registry.example.com", "host"), ("registry.example.com/team", "team"), ("registry.example.com/team/app", "app"), ("*.example.com", "glob"));

        var matches = keyring.Lookup("registry.example.com/team/app");

        Assert.Equal(["app", "team", "host", "glob"], matches.Select(m => m.Entry.Username));
        Assert.Equal(["registry.example.com/team/app", "registry.example.com/team", "registry.example.com", "*.example.com"], keyring.Keys);
    }

    [Fact]
    public void Lookup_TwoWrittenKeysNormaliseToOne_BothAreTriedInWrittenKeyOrder()
    {
        var keyring = Keyring(("index.docker.io", "plain"), ("https://index.docker.io/v1/", "legacy"));

        var matches = keyring.Lookup("index.docker.io/library/ubuntu");

        Assert.Equal(["legacy", "plain"], matches.Select(m => m.Entry.Username));
        Assert.All(matches, m => Assert.Equal("index.docker.io", m.Key));
    }

    [Theory]
    [InlineData("ubuntu", true)]
    [InlineData("library/ubuntu:22.04", true)]
    [InlineData("docker.io/library/ubuntu", true)]
    [InlineData("index.docker.io/team/app@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true)]
    [InlineData("ghcr.io/team/app", false)]
    [InlineData("localhost/app", true)] // a quirk of isDefaultRegistryMatch: "localhost" has no '.' or ':'
    [InlineData("localhost:5000/app", false)]
    public void LookupImage_DockerHubKey_ServesDockerHubImagesOnlyByFallback(string image, bool served)
    {
        var keyring = Keyring(("https://index.docker.io/v1/", "hub"));

        var matches = keyring.LookupImage(image, out _, out _);

        Assert.Equal(served, matches.Count > 0);
        Assert.All(matches, m => Assert.True(m.ViaDockerHubFallback));
    }

    [Fact]
    public void LookupImage_DirectMatch_SuppressesDockerHubFallback()
    {
        var keyring = Keyring(("https://index.docker.io/v1/", "hub"), ("docker.io/team", "team"));

        var matches = keyring.LookupImage("team/app", out _, out _);

        Assert.Equal(["team"], matches.Select(m => m.Entry.Username));
    }

    [Theory]
    [InlineData("ubuntu", "docker.io/library/ubuntu", "latest", "")]
    [InlineData("ubuntu:22.04", "docker.io/library/ubuntu", "22.04", "")]
    [InlineData("index.docker.io/ubuntu", "docker.io/library/ubuntu", "latest", "")]
    [InlineData("localhost/app", "localhost/app", "latest", "")]
    [InlineData("Registry.Example.com/app:v1", "Registry.Example.com/app", "v1", "")]
    [InlineData("Team/app", "Team/app", "latest", "")] // an upper-case first segment cannot be a Docker Hub user: a host
    [InlineData("[::1]:5000/app:v1", "[::1]:5000/app", "v1", "")]
    [InlineData("ghcr.io/a/b:v1@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "ghcr.io/a/b", "v1", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void ParseImage_Valid_NormalisesRepository(string input, string repository, string tag, string digest)
    {
        Assert.True(ImageName.TryParse(input, out var image, out var problem), problem);
        Assert.Equal(new ImageName(repository, tag, digest), image);
    }

    [Theory]
    [InlineData("", "at least one component")]
    [InlineData("ghcr.io/Team/app", "must be lowercase")]
    [InlineData("ghcr.io/app:", "invalid reference format")]
    [InlineData("ghcr.io/app@md5:e3b0c44298fc1c149afbf4c8996fb924", "unsupported digest algorithm")]
    [InlineData("ghcr.io/app@sha256:e3b0c44298fc1c149afbf4c8996fb924", "digest length")]
    [InlineData("ghcr.io/app\n", "invalid reference format")]
    public void ParseImage_Invalid_SaysWhyAndMatchesNothing(string input, string problem)
    {
        Assert.False(ImageName.TryParse(input, out _, out var actual));
        Assert.Contains(problem, actual, StringComparison.Ordinal);
        Assert.False(Keyring(("*", "u"), ("https://index.docker.io/v1/", "hub")).Matches(input));
    }

    [Fact]
    public void Matches_EmptyKeyring_IsFalse() => Assert.False(RegistryKeyring.Empty.Matches("ubuntu"));

    private static RegistryKeyring Keyring(params (string Key, string User)[] entries)
    {
        var config = new JsonObject();
        foreach (var (key, user) in entries)
        {
            config[key] = new JsonObject { ["username"] = user, ["password"] = user + "-pw" };
        }

        var parsed = DockerConfigParser.Parse(Encoding.UTF8.GetBytes(config.ToJsonString()), DockerConfigFormat.DockerCfg);
        return new RegistryKeyring(parsed.Entries);
    }
}

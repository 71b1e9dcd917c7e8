using System.Text.RegularExpressions;

namespace PullSecretWebhook.Credentials;

/// <summary>An image reference normalised as the kubelet does before it looks up credentials
/// (pkg/util/parsers <c>ParseImageName</c>, i.e. distribution/reference <c>ParseNormalizedNamed</c>): Docker Hub names
/// get <c>docker.io/</c> and official images <c>library/</c> (<c>ubuntu</c> → <c>docker.io/library/ubuntu</c>),
/// <c>index.docker.io</c> becomes <c>docker.io</c>, and the tag and digest are dropped from the lookup key.
/// https://github.com/distribution/reference/blob/main/normalize.go</summary>
internal sealed partial record ImageName(string Repository, string Tag, string Digest)
{
    private const string DefaultDomain = "docker.io";
    private const string LegacyDefaultDomain = "index.docker.io";
    private const int NameTotalLengthMax = 255;
    private static readonly System.Buffers.SearchValues<char> HostMarkers = System.Buffers.SearchValues.Create(".:");
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>Parses an image as written in a container spec; on failure <paramref name="problem"/> says why, as
    /// the kubelet would refuse to pull it.</summary>
    public static bool TryParse(string image, out ImageName name, out string problem)
    {
        name = null!;
        if (AnchoredIdentifier().IsMatch(image))
        {
            problem = $"invalid repository name ({image}), cannot specify 64-byte hexadecimal strings";
            return false;
        }

        var (domain, remainder) = SplitDockerDomain(image);
        var tagSeparator = remainder.IndexOf(':', StringComparison.Ordinal);
        var remote = tagSeparator >= 0 ? remainder[..tagSeparator] : remainder;
        if (HasUpperCase(remote))
        {
            problem = $"invalid reference format: repository name ({remote}) must be lowercase";
            return false;
        }

        var match = Reference().Match($"{domain}/{remainder}");
        if (!match.Success)
        {
            problem = image.Length == 0 ? "invalid reference format: repository name must have at least one component" : "invalid reference format";
            return false;
        }

        var repository = match.Groups["name"].Value;
        if (repository.Length > NameTotalLengthMax)
        {
            problem = $"invalid reference format: repository name must not be more than {NameTotalLengthMax} characters";
            return false;
        }

        var digest = match.Groups["digest"].Value;
        if (digest.Length > 0 && !IsValidDigest(digest, out problem))
        {
            return false;
        }

        var tag = match.Groups["tag"].Value;
        name = new ImageName(repository, tag.Length == 0 && digest.Length == 0 ? "latest" : tag, digest);
        problem = "";
        return true;
    }

    /// <summary>The first path segment is a registry only when it has a '.' or ':', is <c>localhost</c>, or has an
    /// upper-case letter (which a Docker Hub user name cannot).</summary>
    private static (string Domain, string Remainder) SplitDockerDomain(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        string domain, remainder;
        if (slash < 0 || (!name.AsSpan(0, slash).ContainsAny(HostMarkers) && name[..slash] != "localhost" && !HasUpperCase(name[..slash])))
        {
            (domain, remainder) = (DefaultDomain, name);
        }
        else
        {
            (domain, remainder) = (name[..slash], name[(slash + 1)..]);
        }

        if (domain == LegacyDefaultDomain)
        {
            domain = DefaultDomain;
        }

        if (domain == DefaultDomain && !remainder.Contains('/', StringComparison.Ordinal))
        {
            remainder = "library/" + remainder;
        }

        return (domain, remainder);
    }

    /// <summary>Known algorithms must have their exact hex length (go-digest); unknown ones are refused.</summary>
    private static bool IsValidDigest(string digest, out string problem)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var expected = digest[..colon] switch
        {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => -1,
        };
        problem = expected switch
        {
            -1 => "unsupported digest algorithm",
            _ when digest.Length - colon - 1 != expected => "invalid checksum digest length",
            _ when digest.AsSpan(colon + 1).ContainsAnyExcept(LowerHex) => "invalid checksum digest format",
            _ => "",
        };
        return problem.Length == 0;
    }

    private static bool HasUpperCase(string text)
    {
        foreach (var c in text)
        {
            if (char.IsUpper(c))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^[a-f0-9]{64}\z")]
    private static partial Regex AnchoredIdentifier();

    // distribution/reference regexp.go: (domain/)?path-component(/path-component)* (:tag)? (@digest)?
    [GeneratedRegex(
        @"^(?<name>(?:(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
        + @"(?::(?<tag>[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}

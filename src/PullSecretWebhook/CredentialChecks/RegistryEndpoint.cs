using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.CredentialChecks;

/// <summary>Where a registry key is checked: scheme and host[:port], normalised as the kubelet matches keys
/// (<see cref="RegistryKeyring.Normalize"/>): the scheme and any path are dropped for matching, so a path-scoped key
/// (<c>registry.example.com/team</c>) is checked at its host, and Docker Hub's legacy key
/// (<c>https://index.docker.io/v1/</c>) at Docker Hub's registry, <c>registry-1.docker.io</c> (its token service,
/// <c>auth.docker.io</c>, comes from the registry's own challenge).</summary>
internal sealed record RegistryEndpoint(string Scheme, string Host)
{
    private const string DockerHubRegistry = "registry-1.docker.io";

    public Uri BaseUri => new($"{Scheme}://{Host}/v2/");

    /// <summary>The key named its scheme (<c>https://</c> or <c>http://</c>): no fallback to plain HTTP then.</summary>
    public bool SchemeGiven { get; init; }

    /// <summary><c>localhost</c> or a loopback address: where Docker treats a registry as insecure by default.</summary>
    public bool IsLoopback
    {
        get
        {
            var colon = Host.LastIndexOf(':');
            var name = Host.StartsWith('[') ? Host[1..Host.IndexOf(']', StringComparison.Ordinal)] : colon > 0 ? Host[..colon] : Host;
            return name == "localhost" || (System.Net.IPAddress.TryParse(name, out var ip) && System.Net.IPAddress.IsLoopback(ip));
        }
    }

    /// <summary>The endpoint of <paramref name="key"/>, or false with the reason it cannot be checked.</summary>
    public static bool TryParse(string key, out RegistryEndpoint endpoint, out string problem)
    {
        endpoint = null!;
        var scheme = "https";
        var value = key;
        var schemeEnd = key.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            scheme = key[..schemeEnd].ToLowerInvariant();
            if (scheme is not ("https" or "http"))
            {
                problem = $"the key's scheme {scheme}:// is not http or https";
                return false;
            }
        }
        else
        {
            value = "https://" + key;
        }

        if (!RegistryUrl.TryParse(value, out var url) || url.Host.Length == 0 || url.HostParts.Any(p => p.Length == 0))
        {
            problem = "the key is not a registry address";
            return false;
        }

        if (url.Host.Contains('*', StringComparison.Ordinal))
        {
            problem = "a wildcard key names no single registry to check";
            return false;
        }

        var host = url.Host.ToLowerInvariant();
        if (host is "index.docker.io" or "docker.io")
        {
            // The kubelet maps both to Docker Hub; the registry API lives at registry-1.docker.io, always HTTPS.
            (scheme, host) = ("https", DockerHubRegistry);
        }

        if (!Uri.TryCreate($"{scheme}://{host}/v2/", UriKind.Absolute, out _))
        {
            problem = "the key is not a registry address";
            return false;
        }

        endpoint = new RegistryEndpoint(scheme, host) { SchemeGiven = schemeEnd >= 0 };
        problem = "";
        return true;
    }

    public override string ToString() => $"{Scheme}://{Host}";
}

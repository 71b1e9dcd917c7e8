namespace PullSecretWebhook.Credentials;

/// <summary>The kubelet's keyring over one <c>.dockerconfigjson</c> (pkg/credentialprovider/keyring.go,
/// <c>BasicDockerKeyring</c>): keys are normalised as <c>Add</c> does, indexed in reverse byte order, and a lookup
/// returns every matching key's credentials in index order, falling back to the <c>index.docker.io</c> key for Docker
/// Hub images. https://github.com/kubernetes/kubernetes/blob/master/pkg/credentialprovider/keyring.go</summary>
/// <remarks>Immutable once built; lookups allocate only the image's parsed form and the result.</remarks>
internal sealed class RegistryKeyring
{
    /// <summary>The kubelet's <c>defaultRegistryHost</c>: the key <c>https://index.docker.io/v1/</c> normalises to.</summary>
    private const string DockerHubKey = "index.docker.io";

    private readonly IndexedKey[] _index;
    private readonly List<RegistryEntry> _dockerHub;

    public RegistryKeyring(IEnumerable<RegistryEntry> entries)
    {
        // Several written keys can normalise to one (index.docker.io and https://index.docker.io/v1/); the kubelet then
        // tries them in Go map order, which is random, so ours is the written key's ordinal order: deterministic.
        var byKey = new Dictionary<string, List<RegistryEntry>>(StringComparer.Ordinal);
        foreach (var entry in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (Normalize(entry.Key) is not { } key)
            {
                continue; // the kubelet logs "Entry ... in dockercfg invalid" and ignores it
            }

            if (!byKey.TryGetValue(key, out var list))
            {
                byKey[key] = list = [];
            }

            list.Add(entry);
        }

        _index = [.. byKey
            .OrderByDescending(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new IndexedKey(pair.Key, RegistryUrl.TryParse("https://" + pair.Key, out var url) ? url : null, pair.Value))];
        _dockerHub = byKey.TryGetValue(DockerHubKey, out var hub) ? hub : [];
    }

    public static RegistryKeyring Empty { get; } = new([]);

    /// <summary>The normalised keys in the order the kubelet tries them.</summary>
    public IReadOnlyList<string> Keys => [.. _index.Select(k => k.Key)];

    public bool IsEmpty => _index.Length == 0;

    /// <summary>The key as <c>BasicDockerKeyring.Add</c> stores it: scheme stripped, a leading <c>/v1/</c> or
    /// <c>/v2/</c> dropped from the path (the rest kept), host[:port] plus the path unless it is empty or "/". Null
    /// when Go's URL parser would refuse the key.</summary>
    public static string? Normalize(string configKey)
    {
        var value = configKey.StartsWith("https://", StringComparison.Ordinal) || configKey.StartsWith("http://", StringComparison.Ordinal)
            ? configKey
            : "https://" + configKey;
        if (!RegistryUrl.TryParse(value, out var url))
        {
            return null;
        }

        var path = url.Path.StartsWith("/v2/", StringComparison.Ordinal) || url.Path.StartsWith("/v1/", StringComparison.Ordinal)
            ? url.Path[3..]
            : url.Path;
        return path.Length > 0 && path != "/" ? url.Host + path : url.Host;
    }

    /// <summary>The kubelet's lookup for an image as written in a Pod: normalised first (<c>ubuntu</c> →
    /// <c>docker.io/library/ubuntu</c>), tag and digest dropped. An image the kubelet could not parse matches
    /// nothing, and <paramref name="problem"/> says why.</summary>
    public IReadOnlyList<KeyringMatch> LookupImage(string image, out string? repository, out string? problem)
    {
        repository = null;
        if (!ImageName.TryParse(image, out var name, out var parseProblem))
        {
            problem = parseProblem;
            return [];
        }

        problem = null;
        repository = name.Repository;
        return Lookup(name.Repository);
    }

    /// <summary>True when any credential would be tried for the image; the admission path's question.</summary>
    public bool Matches(string image) =>
        !IsEmpty && ImageName.TryParse(image, out var name, out _) && Lookup(name.Repository).Count > 0;

    /// <summary><c>BasicDockerKeyring.Lookup</c> on a lookup key as given (the kubelet passes the normalised repository).</summary>
    public IReadOnlyList<KeyringMatch> Lookup(string lookupKey)
    {
        List<KeyringMatch>? found = null;
        if (_index.Length > 0 && RegistryUrl.TryParse("https://" + lookupKey, out var target))
        {
            foreach (var key in _index)
            {
                if (key.Url is not null && UrlsMatch(key.Url, target))
                {
                    found ??= [];
                    found.AddRange(key.Entries.Select(e => new KeyringMatch(key.Key, e, ViaDockerHubFallback: false)));
                }
            }
        }

        if (found is not null)
        {
            return found;
        }

        return _dockerHub.Count > 0 && IsDefaultRegistryMatch(lookupKey)
            ? [.. _dockerHub.Select(e => new KeyringMatch(DockerHubKey, e, ViaDockerHubFallback: true))]
            : [];
    }

    /// <summary><c>URLsMatch</c>: equal ports (as strings), equal numbers of host parts each matching as a glob, and
    /// the key's path a plain string prefix of the image's (no segment boundary: <c>quay.io/foo</c> serves
    /// <c>quay.io/foobar</c>).</summary>
    private static bool UrlsMatch(RegistryUrl key, RegistryUrl target)
    {
        if (key.Port != target.Port || key.HostParts.Count != target.HostParts.Count || !target.Path.StartsWith(key.Path, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < key.HostParts.Count; i++)
        {
            if (!HostGlob.IsMatch(key.HostParts[i], target.HostParts[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>isDefaultRegistryMatch</c>: the image is pulled from Docker Hub when its first segment is
    /// <c>docker.io</c> or <c>index.docker.io</c>, or is not a host (no '.' or ':'), or it has a single segment.</summary>
    private static bool IsDefaultRegistryMatch(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? image : image[..slash];
        if (first.Length == 0)
        {
            return false;
        }

        return slash < 0 || first is "docker.io" or DockerHubKey || !first.AsSpan().ContainsAny('.', ':');
    }

    private sealed record IndexedKey(string Key, RegistryUrl? Url, IReadOnlyList<RegistryEntry> Entries);
}

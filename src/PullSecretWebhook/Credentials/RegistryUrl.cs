namespace PullSecretWebhook.Credentials;

/// <summary>The parts of a registry URL the kubelet compares: host parts, port and path. Parsed the way Go's
/// <c>url.Parse</c> reads <c>https://</c> + a schemeless string, then <c>SplitURL</c> (host split on '.', the port
/// apart); see pkg/credentialprovider/keyring.go (<c>ParseSchemelessURL</c>, <c>SplitURL</c>):
/// https://github.com/kubernetes/kubernetes/blob/master/pkg/credentialprovider/keyring.go</summary>
internal sealed class RegistryUrl
{
    private RegistryUrl(string host, string[] hostParts, string port, string path)
    {
        Host = host;
        HostParts = hostParts;
        Port = port;
        Path = path;
    }

    /// <summary>host[:port] as written (Go's <c>URL.Host</c>).</summary>
    public string Host { get; }

    public IReadOnlyList<string> HostParts { get; }

    /// <summary>"" when there is none; compared as a string, so "" never equals "443".</summary>
    public string Port { get; }

    /// <summary>The unescaped path, "" or starting with '/'.</summary>
    public string Path { get; }

    /// <summary>Parses <paramref name="value"/>, which must start with <c>http://</c> or <c>https://</c>; false where
    /// Go's parser reports an error (the kubelet then ignores the key, or finds no match for the image).</summary>
    public static bool TryParse(string value, out RegistryUrl url)
    {
        url = null!;
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return false;
        }

        var rest = value[(schemeEnd + 3)..];
        var cut = rest.IndexOfAny(['?', '#']);
        if (cut >= 0)
        {
            rest = rest[..cut];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var rawPath = slash < 0 ? "" : rest[slash..];
        var at = authority.LastIndexOf('@');
        var host = at < 0 ? authority : authority[(at + 1)..];
        if (!IsValidHost(host) || !TryUnescape(rawPath, out var path))
        {
            return false;
        }

        var (name, port) = SplitHostPort(host);
        url = new RegistryUrl(host, name.Split('.'), port, path);
        return true;
    }

    /// <summary>Go's <c>net.SplitHostPort</c>, falling back to the whole host and no port when it fails.</summary>
    private static (string Host, string Port) SplitHostPort(string host)
    {
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            return close > 0 && close + 1 < host.Length && host[close + 1] == ':' && host.IndexOf(':', close + 2) < 0
                ? (host[1..close], host[(close + 2)..])
                : (host, "");
        }

        var colon = host.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && colon == host.LastIndexOf(':') ? (host[..colon], host[(colon + 1)..]) : (host, "");
    }

    /// <summary>Go rejects a port that is not all digits and characters that must be escaped in a host.</summary>
    private static bool IsValidHost(string host)
    {
        var portStart = host.StartsWith('[') ? host.IndexOf("]:", StringComparison.Ordinal) + 1 : host.LastIndexOf(':');
        if (host.StartsWith('[') && host.IndexOf(']', StringComparison.Ordinal) < 0)
        {
            return false;
        }

        if (portStart > 0 && host.AsSpan(portStart + 1).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        foreach (var c in host)
        {
            if (c <= ' ' || c is '<' or '>' or '"' or '{' or '}' or '|' or '\\' or '^' or '`' or '%' || c >= 0x7f)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryUnescape(string path, out string unescaped)
    {
        unescaped = path;
        if (!path.Contains('%', StringComparison.Ordinal))
        {
            return true;
        }

        for (var i = path.IndexOf('%', StringComparison.Ordinal); i >= 0; i = path.IndexOf('%', i + 1))
        {
            if (i + 2 >= path.Length || !char.IsAsciiHexDigit(path[i + 1]) || !char.IsAsciiHexDigit(path[i + 2]))
            {
                return false;
            }
        }

        unescaped = Uri.UnescapeDataString(path);
        return true;
    }
}

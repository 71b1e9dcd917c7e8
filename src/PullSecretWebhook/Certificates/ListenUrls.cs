using System.Net;
using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.Certificates;

/// <summary>Parses the <c>urls</c> setting (<c>;</c>-separated, as ASP.NET Core accepts it) into endpoints. Only
/// <c>https</c> is served: the API server calls webhooks over TLS, and so do probes.</summary>
internal static class ListenUrls
{
    public static IReadOnlyList<IPEndPoint> Parse(string urls)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var raw in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "*" and "+" are accepted by ASP.NET Core but are not valid URI hosts.
            var text = raw.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new SettingsException($"urls: '{raw}' is not an https URL such as https://0.0.0.0:8443; the webhook serves HTTPS only.");
            }

            if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
            {
                throw new SettingsException($"urls: '{raw}' must not have a path.");
            }

            if (uri.IsLoopback && uri.Host == "localhost")
            {
                endpoints.Add(new IPEndPoint(IPAddress.Loopback, uri.Port));
                endpoints.Add(new IPEndPoint(IPAddress.IPv6Loopback, uri.Port));
            }
            else if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
            {
                endpoints.Add(new IPEndPoint(address, uri.Port));
            }
            else
            {
                throw new SettingsException($"urls: '{raw}' must name an IP address, localhost, '*' or '+'; host names are not bound.");
            }
        }

        return endpoints.Count > 0 ? endpoints : throw new SettingsException("urls: no URL given.");
    }
}

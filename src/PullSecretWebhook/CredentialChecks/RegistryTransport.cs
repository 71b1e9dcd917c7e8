using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PullSecretWebhook.CredentialChecks;

/// <summary>HTTP to registries and token services, and nothing else: one <see cref="SocketsHttpHandler"/> we own, with
/// automatic redirects off (a redirect is followed only to the same scheme and host as the request, so a credential
/// never travels to a host it was not meant for), answers bounded in size, and optional extra trusted CAs.</summary>
internal sealed class RegistryTransport : IDisposable
{
    private const int MaxRedirects = 3;
    private readonly HttpClient _client;

    public RegistryTransport(CredentialChecksOptions options)
    {
        var bundle = LoadBundle(options.CaBundleFile);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = 4,
            MaxResponseHeadersLength = 64, // KiB
            ResponseDrainTimeout = TimeSpan.FromSeconds(1),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = bundle.Count == 0 ? null : (_, certificate, chain, errors) => Validate(bundle, certificate, chain, errors),
            },
        };

        // The check's own deadline (CredentialChecks:Timeout) cancels requests; HttpClient's would only duplicate it.
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = CredentialChecksOptions.MaxAnswerBytes };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("pullsecret-webhook-credential-check");
    }

    /// <summary>Sends one request (and follows same-host redirects); throws <see cref="RegistryUnreachableException"/>
    /// with the cause when no protocol answer arrives. <paramref name="content"/> builds the body afresh per hop.</summary>
    public async Task<RegistryAnswer> SendAsync(HttpMethod method, Uri uri, AuthenticationHeaderValue? authorization, IReadOnlyList<string> accept, Func<HttpContent>? content, CancellationToken cancellationToken)
    {
        var current = uri;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, current) { Content = content?.Invoke() };
            request.Headers.Authorization = authorization;
            foreach (var type in accept)
            {
                request.Headers.Accept.ParseAdd(type);
            }

            using var response = await SendOnceAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308)
            {
                var location = response.Headers.Location;
                if (location is null || hop >= MaxRedirects)
                {
                    throw new RegistryUnreachableException($"{current.Authority} redirected {(location is null ? "without a location" : $"more than {MaxRedirects} times")}");
                }

                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (next.Scheme != uri.Scheme || !string.Equals(next.Authority, uri.Authority, StringComparison.OrdinalIgnoreCase))
                {
                    // Only within the host the registry (or its challenge's realm) named: never hand a credential on.
                    throw new RegistryUnreachableException($"{current.Authority} redirected to {next.Scheme}://{next.Authority}, another host; not followed");
                }

                current = next;
                continue;
            }

            var challenges = response.Headers.WwwAuthenticate.Select(h => h.ToString()).ToList();
            var body = await ReadBoundedAsync(response, current, cancellationToken);
            return new RegistryAnswer(status, challenges, body);
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            // Classified by the error kind .NET reports, never by message text.
            var cause = e.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "DNS: the host name does not resolve",
                HttpRequestError.ConnectionError => "TCP: the connection was refused or failed",
                HttpRequestError.SecureConnectionError => "TLS: the handshake failed (is the registry's CA trusted? see CredentialChecks:CaBundleFile)",
                HttpRequestError.ProxyTunnelError => "the proxy refused the tunnel",
                HttpRequestError.ResponseEnded => "the connection closed before an answer",
                HttpRequestError.InvalidResponse => "the answer is not HTTP",
                HttpRequestError.ConfigurationLimitExceeded => "the answer's headers exceed 64 KiB",
                _ => $"the request failed ({e.HttpRequestError})",
            };
            throw new RegistryUnreachableException($"{request.RequestUri!.Authority}: {cause}", e) { IsTlsFailure = e.HttpRequestError == HttpRequestError.SecureConnectionError };
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, Uri uri, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > CredentialChecksOptions.MaxAnswerBytes)
        {
            throw new RegistryUnreachableException($"{uri.Authority}: the answer is larger than {CredentialChecksOptions.MaxAnswerBytes / 1024} KiB; not read");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[CredentialChecksOptions.MaxAnswerBytes + 1];
        var total = 0;
        try
        {
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            {
                total += read;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new RegistryUnreachableException($"{uri.Authority}: the answer broke off", e);
        }

        if (total > CredentialChecksOptions.MaxAnswerBytes)
        {
            throw new RegistryUnreachableException($"{uri.Authority}: the answer is larger than {CredentialChecksOptions.MaxAnswerBytes / 1024} KiB; not read");
        }

        return buffer[..total];
    }

    private static X509Certificate2Collection LoadBundle(string? path)
    {
        var bundle = new X509Certificate2Collection();
        if (!string.IsNullOrEmpty(path))
        {
            bundle.ImportFromPemFile(path);
        }

        return bundle;
    }

    /// <summary>The system's trust first; failing that, a chain to one of the bundle's CAs. A name mismatch is never
    /// forgiven.</summary>
    private static bool Validate(X509Certificate2Collection bundle, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(bundle);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PullSecretWebhook.CredentialChecks;

/// <summary>Decides the verdict of one credential by the registry's own protocol (Docker Registry HTTP API v2 / OCI
/// distribution): <c>GET /v2/</c>; on 401 the challenge says how to log in — <c>Basic</c>: the same request with the
/// credential; <c>Bearer</c>: a token from the challenge's realm (username and password as Basic auth, an identity
/// token as an OAuth2 refresh token), then <c>/v2/</c> with the token. With a probe image, a <c>HEAD</c> of its
/// manifest follows. https://distribution.github.io/distribution/spec/auth/token/ and .../spec/auth/oauth/</summary>
/// <remarks>Tokens obtained live in this method's locals only. Requests: Basic 2 (+1 probe); Bearer 3 (+1 probe, the
/// probe's scope asked in the same token request).</remarks>
internal sealed class CredentialChecker(RegistryTransport transport, IOptions<CredentialChecksOptions> options, TimeProvider time)
{
    /// <summary>The manifest types a kubelet's runtime accepts (containerd's default list).</summary>
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private readonly CredentialChecksOptions _options = options.Value;

    public async Task<CheckResult> CheckAsync(CheckTarget target, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var expiresAt = JwtExpiry.Read(target.IdentityToken) ?? JwtExpiry.Read(target.Password);
        var run = new Run(transport, target);
        using var deadline = new CancellationTokenSource(_options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        (CredentialVerdict Verdict, string Reason, string? Code) outcome;
        try
        {
            try
            {
                outcome = await run.ExecuteAsync(linked.Token);
            }
            catch (RegistryUnreachableException e) when (e.IsTlsFailure && run.Requests == 1 && !target.Endpoint.SchemeGiven && target.Endpoint.IsLoopback)
            {
                // Docker's rule: a registry on loopback whose key names no scheme may speak plain HTTP (an "insecure
                // registry" by default); anywhere else only a key written http:// is checked over HTTP.
                var plain = new Run(transport, target with { Endpoint = target.Endpoint with { Scheme = "http" } }, run.Requests);
                run = plain;
                try
                {
                    outcome = await plain.ExecuteAsync(linked.Token);
                }
                catch (RegistryUnreachableException second)
                {
                    outcome = (CredentialVerdict.Unreachable, second.Message, null);
                }

                // A TLS registry with an untrusted certificate answers plain HTTP with 400: the TLS failure is the news.
                if (outcome.Verdict == CredentialVerdict.Unreachable)
                {
                    outcome = (CredentialVerdict.Unreachable, $"{e.Message}; over plain HTTP: {outcome.Reason}", null);
                }
            }
        }
        catch (RegistryUnreachableException e)
        {
            outcome = (CredentialVerdict.Unreachable, e.Message, null);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            outcome = (CredentialVerdict.Unreachable, $"{target.Endpoint.Host}: no complete answer within {_options.Timeout} (CredentialChecks:Timeout)", null);
        }

        return new CheckResult(outcome.Verdict, outcome.Reason, outcome.Code, started, expiresAt, run.Requests);
    }

    /// <summary>The error code of a registry or token-service answer: <c>errors[0].code</c> (distribution) or
    /// <c>error</c> (OAuth2), kept only when it looks like a code (so no echoed input reaches a report).</summary>
    internal static string? ErrorCode(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string? code = null;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0 && errors[0].ValueKind == JsonValueKind.Object && errors[0].TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
            {
                code = c.GetString();
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
            {
                code = e.GetString();
            }

            return code is { Length: > 0 and <= 64 } && code.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.') ? code : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>One check's requests; counts them for the report.</summary>
    private sealed class Run(RegistryTransport transport, CheckTarget target, int requestsSoFar = 0)
    {
        private readonly string _host = target.Endpoint.Host;

        public int Requests { get; private set; } = requestsSoFar;

        public async Task<(CredentialVerdict, string, string?)> ExecuteAsync(CancellationToken cancellationToken)
        {
            var baseUri = target.Endpoint.BaseUri;
            var first = await SendAsync(HttpMethod.Get, baseUri, null, cancellationToken);
            if (first.Status == 200)
            {
                return await ProbeAsync(null, $"{_host} asks no login at /v2/, so the credential itself is not exercised", cancellationToken);
            }

            if (first.Status != 401)
            {
                return Unreachable($"{_host}: /v2/ answered {first.Status}, not 200 or 401; not a registry, or not well");
            }

            var challenge = RegistryChallenge.Pick(first.Challenges);
            if (challenge is null)
            {
                return (CredentialVerdict.Unchecked, $"{_host}: /v2/ answered 401 without a Basic or Bearer challenge", null);
            }

            AuthenticationHeaderValue authorization;
            if (challenge.IsBasic)
            {
                if (target.Username.Length == 0 && target.Password.Length == 0)
                {
                    return (CredentialVerdict.Unchecked, $"{_host} asks for Basic auth and the entry has only an identity token", null);
                }

                authorization = Basic(target.Username, target.Password);
            }
            else
            {
                var token = await TokenAsync(challenge, cancellationToken);
                if (token.Failure is { } failure)
                {
                    return failure;
                }

                authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            }

            var second = await SendAsync(HttpMethod.Get, baseUri, authorization, cancellationToken);
            return second.Status switch
            {
                200 => await ProbeAsync(authorization, $"{_host} accepted the credential ({(challenge.IsBasic ? "Basic" : "Bearer token")})", cancellationToken),
                401 or 403 => Rejected($"{_host} answered {second.Status} to the credential", second.Body),
                _ => Unreachable($"{_host}: /v2/ with the credential answered {second.Status}"),
            };
        }

        private async Task<(string? Token, (CredentialVerdict, string, string?)? Failure)> TokenAsync(RegistryChallenge challenge, CancellationToken cancellationToken)
        {
            if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http") || realm.Host.Length == 0)
            {
                return (null, Unreachable($"{_host}: the challenge's realm is not an http(s) URL"));
            }

            // A token request carries the credential: over HTTPS, or plain HTTP only where the registry itself is
            // (an http:// key) or on loopback.
            if (realm.Scheme == "http" && target.Endpoint.Scheme != "http" && !IsLoopback(realm.Host))
            {
                return (null, Unreachable($"{_host}: the challenge's realm {realm.Authority} is plain http; the credential is not sent there"));
            }

            var service = challenge.Service;
            var scope = target.Probe is { } probe ? $"repository:{probe.Repository}:pull" : null;
            RegistryAnswer answer;
            if (target.IdentityToken is { } refreshToken)
            {
                // OAuth2 refresh-token grant (what docker login stores as identitytoken).
                var form = new List<KeyValuePair<string, string>>
                {
                    new("grant_type", "refresh_token"),
                    new("client_id", "pullsecret-webhook"),
                    new("refresh_token", refreshToken),
                };
                if (service is not null)
                {
                    form.Add(new("service", service));
                }

                if (scope is not null)
                {
                    form.Add(new("scope", scope));
                }

                answer = await SendAsync(HttpMethod.Post, realm, null, cancellationToken, () => new FormUrlEncodedContent(form));
            }
            else
            {
                var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query[1..] + "&" : "");
                if (service is not null)
                {
                    query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
                }

                if (scope is not null)
                {
                    query.Append("scope=").Append(Uri.EscapeDataString(scope)).Append('&');
                }

                if (target.Username.Length > 0)
                {
                    query.Append("account=").Append(Uri.EscapeDataString(target.Username)).Append('&');
                }

                var uri = new UriBuilder(realm) { Query = query.ToString().TrimEnd('&') }.Uri;
                answer = await SendAsync(HttpMethod.Get, uri, Basic(target.Username, target.Password), cancellationToken);
            }

            var code = CredentialChecker.ErrorCode(answer.Body);
            if (answer.Status is 401 or 403 || (answer.Status == 400 && code is "invalid_grant" or "unauthorized_client"))
            {
                return (null, Rejected($"the token service {realm.Authority} answered {answer.Status} to the credential", answer.Body));
            }

            if (answer.Status != 200)
            {
                return (null, Unreachable($"the token service {realm.Authority} answered {answer.Status}"));
            }

            return ReadToken(answer.Body) is { } token
                ? (token, null)
                : (null, Unreachable($"the token service {realm.Authority} answered 200 without a usable token"));
        }

        private async Task<(CredentialVerdict, string, string?)> ProbeAsync(AuthenticationHeaderValue? authorization, string loggedIn, CancellationToken cancellationToken)
        {
            if (target.Probe is not { } probe)
            {
                return (CredentialVerdict.Valid, loggedIn, null);
            }

            var uri = new Uri(target.Endpoint.BaseUri, $"{probe.Repository}/manifests/{probe.Reference}");
            var answer = await SendAsync(HttpMethod.Head, uri, authorization, cancellationToken, accept: ManifestTypes);

            // A HEAD answer has no body: the code is the one distribution gives these statuses.
            return answer.Status switch
            {
                200 => (CredentialVerdict.Valid, $"{loggedIn}; the probe image {probe.Image} is pullable", null),
                404 => (CredentialVerdict.ProbeFailed, $"{loggedIn}, but the probe image {probe.Image} was not found (404)", "MANIFEST_UNKNOWN"),
                401 => (CredentialVerdict.ProbeFailed, $"{loggedIn}, but pulling the probe image {probe.Image} was refused (401)", "UNAUTHORIZED"),
                403 => (CredentialVerdict.ProbeFailed, $"{loggedIn}, but pulling the probe image {probe.Image} was denied (403)", "DENIED"),
                _ => Unreachable($"{_host}: the probe image's manifest answered {answer.Status}"),
            };
        }

        private async Task<RegistryAnswer> SendAsync(HttpMethod method, Uri uri, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken, Func<HttpContent>? content = null, IReadOnlyList<string>? accept = null)
        {
            Requests++;
            return await transport.SendAsync(method, uri, authorization, accept ?? [], content, cancellationToken);
        }

        private static string? ReadToken(byte[] body)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                foreach (var name in new[] { "token", "access_token" })
                {
                    if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                        && value.GetString() is { Length: > 0 and <= 16384 } token && token.All(c => c > ' ' && c < 0x7f))
                    {
                        return token;
                    }
                }

                return null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static AuthenticationHeaderValue Basic(string username, string password) =>
            new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

        private static (CredentialVerdict, string, string?) Rejected(string reason, byte[] body)
        {
            var code = CredentialChecker.ErrorCode(body);
            return (CredentialVerdict.Rejected, code is null ? reason : $"{reason} ({code})", code);
        }

        private static (CredentialVerdict, string, string?) Unreachable(string reason) => (CredentialVerdict.Unreachable, reason, null);
    }
}

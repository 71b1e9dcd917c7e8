using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PullSecretWebhook.Tests.CredentialChecks.Support;

/// <summary>The token service of the token-auth registry (the distribution token spec, as Docker Hub, GHCR and Harbor
/// run it): <c>GET /token</c> with Basic auth, <c>POST /token</c> with an OAuth2 refresh token; answers JWTs signed with
/// a key the registry trusts. Users, passwords and refresh tokens can be changed (and revoked) by tests.</summary>
internal sealed class TokenIssuer : IAsyncDisposable
{
    public const string Issuer = "psw-test-issuer";
    public const string Service = "psw-test-registry";
    private readonly WebApplication _app;
    private readonly ECDsa _signingKey;
    private int _requests;

    private TokenIssuer(WebApplication app, int port, ECDsa signingKey)
    {
        _app = app;
        Port = port;
        _signingKey = signingKey;
    }

    public int Port { get; }

    public string Realm => $"https://127.0.0.1:{Port}/token";

    /// <summary>user → password. A password that is a JWT is refused once its <c>exp</c> has passed.</summary>
    public ConcurrentDictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal);

    /// <summary>refresh token → user.</summary>
    public ConcurrentDictionary<string, string> RefreshTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Users that may log in but pull nothing.</summary>
    public ConcurrentDictionary<string, bool> NoPull { get; } = new(StringComparer.Ordinal);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Every token handed out, for tests that search for leaks.</summary>
    public ConcurrentQueue<string> Issued { get; } = new();

    public static async Task<TokenIssuer> StartAsync(X509Certificate2 serving, ECDsa signingKey)
    {
        TokenIssuer? issuer = null;
        var (app, port) = await LoopbackHttps.StartAsync(serving, app =>
        {
            app.MapGet("/token", context => issuer!.GetAsync(context));
            app.MapPost("/token", context => issuer!.PostAsync(context));
        });
        issuer = new TokenIssuer(app, port, signingKey);
        return issuer;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task GetAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            await DenyAsync(context, 401, "UNAUTHORIZED", "authentication required");
            return;
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        var (user, password) = colon < 0 ? (pair, "") : (pair[..colon], pair[(colon + 1)..]);
        if (!Passwords.TryGetValue(user, out var known) || known != password || IsExpired(password))
        {
            await DenyAsync(context, 401, "UNAUTHORIZED", "invalid username or password");
            return;
        }

        await GrantAsync(context, user, context.Request.Query["scope"].Select(s => s ?? "").ToList(), refreshToken: null);
    }

    private async Task PostAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "refresh_token" || !RefreshTokens.TryGetValue(form["refresh_token"].ToString(), out var user))
        {
            // RFC 6749 section 5.2: an unknown or revoked refresh token is invalid_grant.
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = "invalid_grant", ["error_description"] = "refresh token revoked" });
            return;
        }

        await GrantAsync(context, user, form["scope"].Select(s => s ?? "").SelectMany(s => s.Split(' ')).ToList(), form["refresh_token"].ToString());
    }

    private async Task GrantAsync(HttpContext context, string user, List<string> scopes, string? refreshToken)
    {
        var access = new JsonArray();
        foreach (var scope in scopes.Where(s => s.Length > 0))
        {
            // repository:team/app:pull,push
            var parts = scope.Split(':');
            if (parts.Length == 3 && parts[0] == "repository" && !NoPull.ContainsKey(user))
            {
                access.Add(new JsonObject { ["type"] = "repository", ["name"] = parts[1], ["actions"] = new JsonArray([.. parts[2].Split(',').Select(a => JsonValue.Create(a))]) });
            }
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = TestJwt.Sign(_signingKey, new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = user,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 30,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        });
        Issued.Enqueue(token);
        var answer = new JsonObject { ["token"] = token, ["access_token"] = token, ["expires_in"] = 300 };
        if (refreshToken is not null)
        {
            answer["refresh_token"] = refreshToken;
        }

        await context.Response.WriteAsJsonAsync(answer);
    }

    private static async Task DenyAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) });
    }

    private static bool IsExpired(string password)
    {
        var parts = password.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        var claims = JsonNode.Parse(Convert.FromBase64String(payload));
        return claims?["exp"]?.GetValue<long>() is { } exp && exp <= DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }
}

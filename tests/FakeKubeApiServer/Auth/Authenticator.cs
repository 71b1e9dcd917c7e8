
namespace FakeKubeApiServer.Auth;

/// <summary>
/// Bearer tokens (the admin token and the configured ones) and TLS client certificates signed by
/// the fake's CA (CN is the user, each O a group), as
/// https://kubernetes.io/docs/reference/access-authn-authz/authentication/ describes. The TLS layer
/// already rejected certificates from any other CA.
/// </summary>
internal sealed class Authenticator(string adminToken, IReadOnlyDictionary<string, string> tokens)
{
    public const string AdminUser = "fake-admin";
    private const string Authenticated = "system:authenticated";

    /// <summary>The user, or null (401) when credentials are missing or invalid.</summary>
    public UserInfo? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // An invalid token is rejected even when a client certificate is also present,
            // as the union authenticator does with a failing token authenticator.
            return FromToken(header["Bearer ".Length..].Trim());
        }

        if (context.Connection.ClientCertificate is { } certificate)
        {
            var name = certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false);
            var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
                .Where(r => r.GetSingleElementType().Value == "2.5.4.10")
                .Select(r => r.GetSingleElementValue() ?? "")
                .Append(Authenticated)
                .ToList();
            return new UserInfo(name, groups);
        }

        return null;
    }

    public UserInfo? FromToken(string token)
    {
        if (token.Length > 0 && string.Equals(token, adminToken, StringComparison.Ordinal))
        {
            return new UserInfo(AdminUser, [UserInfo.MastersGroup, Authenticated]);
        }

        if (!tokens.TryGetValue(token, out var user))
        {
            return null;
        }

        var parts = user.Split(':');
        return parts is ["system", "serviceaccount", var ns, _]
            ? new UserInfo(user, ["system:serviceaccounts", $"system:serviceaccounts:{ns}", Authenticated])
            : new UserInfo(user, [Authenticated]);
    }
}

using System.Security.Cryptography.X509Certificates;

namespace PullSecretWebhook.Kube.Auth;

/// <summary>What to present to the API server: a bearer token, a client certificate, both or neither.</summary>
internal sealed record KubeCredentials(string? Token, X509Certificate2? ClientCertificate)
{
    public static KubeCredentials None { get; } = new(null, null);

    /// <summary>Never print the token, even by accident through a record's generated ToString.</summary>
    public override string ToString() =>
        $"KubeCredentials(Token={(Token is null ? "none" : "set")}, ClientCertificate={ClientCertificate?.Subject ?? "none"})";
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PullSecretWebhook.Kube.Config;

namespace PullSecretWebhook.Kube.Transport;

/// <summary>
/// TLS to the API server, set on KubernetesClient's own handler (<c>FirstMessageHandlerSetup</c>) instead of through its
/// <c>SslCaCerts</c>: with a CA there, the package's certificate callback checks the chain but not the host name, so a
/// certificate issued for another host is accepted (tests/PullSecretWebhook.Tests/Kube/KubernetesClientEvidenceTests.cs
/// shows it). Here the CA goes into the chain policy, and .NET checks chain and name as for any HTTPS call.
/// </summary>
internal static class KubeTls
{
    public static void Configure(SocketsHttpHandler handler, KubeClusterConfig config, ClientCertificateSlot clientCertificate, TimeSpan connectTimeout)
    {
        var ssl = handler.SslOptions;

        // The client certificate is asked for at each handshake: an exec plugin may hand out a new one (the slot holds
        // the one the credentials handler last fetched; a static kubeconfig certificate never changes).
        ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate.Current!;

        if (config.InsecureSkipTlsVerify)
        {
#pragma warning disable CA5359 // The operator asked for it explicitly with insecure-skip-tls-verify, as kubectl allows.
            ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else
        {
            if (config.CertificateAuthorities is { Count: > 0 } authorities)
            {
                // Trust exactly the kubeconfig's CA, not the system store (like client-go's RootCAs).
                var policy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                };
                policy.CustomTrustStore.AddRange(authorities);
                ssl.CertificateChainPolicy = policy;
            }

            if (config.TlsServerName is { } serverName)
            {
                // SocketsHttpHandler validates (and sends SNI) for the URL's host, ignoring SslOptions.TargetHost; so with
                // tls-server-name the name is checked here and chain validation (custom roots included) is left to .NET.
                ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null
                    && (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
                    && AsCertificate2(certificate).MatchesHostname(serverName, allowWildcards: true, allowCommonName: false);
            }
        }

        // Recycle connections so a moved API server endpoint (DNS, load balancer) is picked up.
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90);
        handler.ConnectTimeout = connectTimeout;
        handler.EnableMultipleHttp2Connections = true;
        handler.AutomaticDecompression = System.Net.DecompressionMethods.All;
    }

    private static X509Certificate2 AsCertificate2(X509Certificate certificate) =>
        certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
}

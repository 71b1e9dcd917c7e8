using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PullSecretWebhook.Kube.Config;

namespace PullSecretWebhook.Kube.Client;

/// <summary>Builds the one pooled handler all API calls share.</summary>
internal static class KubeHttpHandlerFactory
{
    public static SocketsHttpHandler Create(KubeClusterConfig config, X509Certificate2? clientCertificate, TimeSpan connectTimeout)
    {
        var ssl = new SslClientAuthenticationOptions();

        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = [clientCertificate];
        }

        if (config.InsecureSkipTlsVerify)
        {
#pragma warning disable CA5359 // The operator asked for it explicitly with insecure-skip-tls-verify, as kubectl allows.
            ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (config.CertificateAuthorities is { Count: > 0 } authorities)
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

        if (!config.InsecureSkipTlsVerify && config.TlsServerName is { } serverName)
        {
            // SocketsHttpHandler always validates (and sends SNI) for the URL's host, ignoring
            // SslOptions.TargetHost; so with tls-server-name we check the name ourselves and
            // leave chain validation (custom roots included) to the platform.
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null
                && (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
                && AsCertificate2(certificate).MatchesHostname(serverName, allowWildcards: true, allowCommonName: false);
        }

        return new SocketsHttpHandler
        {
            // Recycle connections so a moved API server endpoint (DNS, load balancer) is picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = connectTimeout,
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            SslOptions = ssl,
        };
    }

    private static X509Certificate2 AsCertificate2(X509Certificate certificate) =>
        certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PullSecretWebhook.Kube.Config;

namespace PullSecretWebhook.Kube.Client;

/// <summary>Builds the one pooled handler all API calls share.</summary>
internal static class KubeHttpHandlerFactory
{
    public static SocketsHttpHandler Create(KubeClusterConfig config, X509Certificate2? clientCertificate, TimeSpan connectTimeout)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            // Null lets SocketsHttpHandler use the URL's host; tls-server-name overrides it for SNI and validation.
            TargetHost = config.TlsServerName,
        };

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
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PullSecretWebhook.Kube.Config;

/// <summary>PEM to certificates, with errors that say which kubeconfig field was wrong.</summary>
internal static class PemCertificates
{
    public static X509Certificate2Collection LoadAuthorities(string pem, string what)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new KubeConfigException($"{what} is not a valid PEM certificate bundle: {ex.Message}", ex);
        }

        if (collection.Count == 0)
        {
            throw new KubeConfigException($"{what} contains no PEM certificate");
        }

        return collection;
    }

    /// <summary>Certificate plus RSA or EC key (PKCS#1, SEC1 or PKCS#8 PEM).</summary>
    public static X509Certificate2 LoadClientCertificate(string certificatePem, string keyPem, string what)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);

            // A key that lives only in memory cannot be used by SslStream on every platform; a
            // PKCS#12 round trip gives it a persisted form (a no-op in effect on Linux).
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (CryptographicException ex)
        {
            throw new KubeConfigException($"{what}: client certificate and key do not form a valid pair: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new KubeConfigException($"{what}: client certificate or key is not valid PEM: {ex.Message}", ex);
        }
    }
}

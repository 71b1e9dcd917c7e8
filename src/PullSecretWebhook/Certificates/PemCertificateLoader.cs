using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PullSecretWebhook.Certificates;

/// <summary>Loads a serving certificate from PEM files, as cert-manager and <c>kubectl create secret tls</c> write
/// them: the leaf first, then any intermediates, and the key in PKCS#1, PKCS#8 or SEC1 form.</summary>
internal static class PemCertificateLoader
{
    public static (X509Certificate2 Leaf, X509Certificate2Collection Intermediates) Load(string certFile, string keyFile)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(certFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new CertificateLoadException($"Tls:CertFile '{certFile}' could not be read as PEM certificates: {e.Message}", e);
        }

        if (certificates.Count == 0)
        {
            throw new CertificateLoadException($"Tls:CertFile '{certFile}' contains no PEM certificate.");
        }

        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The exception text names the problem (missing file, no key, key does not match); it never contains key material.
            throw new CertificateLoadException($"Tls:KeyFile '{keyFile}' could not be paired with Tls:CertFile '{certFile}': {e.Message}", e);
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < certificates.Count; i++)
        {
            intermediates.Add(certificates[i]);
        }

        return (leaf, intermediates);
    }
}

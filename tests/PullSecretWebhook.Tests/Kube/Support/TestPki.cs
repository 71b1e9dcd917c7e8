using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PullSecretWebhook.Tests.Kube.Support;

/// <summary>Self-signed PEM material for kubeconfig tests that need no server.</summary>
internal static class TestPki
{
    public static (string CertPem, string KeyPem) Rsa(string subject = "CN=test")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportRSAPrivateKeyPem());
    }

    public static (string CertPem, string KeyPem) Ec(string subject = "CN=test")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportECPrivateKeyPem());
    }

    public static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
}

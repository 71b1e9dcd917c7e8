using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PullSecretWebhook.Certificates;

/// <summary>Makes the self-managed CA and the serving certificates it signs: ECDSA P-256, SHA-256, BCL crypto only.
/// The API server verifies webhooks with Go's crypto/x509, which ignores the common name and needs the Service's DNS
/// name in the SANs, and a CA with basicConstraints CA:true and keyCertSign.</summary>
internal static class CertificateIssuer
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    /// <summary>The names the API server may use for a Service (it calls <c>svc.ns.svc</c>; the others cover clients
    /// inside the cluster and custom DNS search paths).</summary>
    public static IReadOnlyList<string> ServiceDnsNames(string service, string ns) =>
        [service, $"{service}.{ns}", $"{service}.{ns}.svc", $"{service}.{ns}.svc.cluster.local"];

    /// <summary>A new CA; the returned certificate carries its private key.</summary>
    public static X509Certificate2 CreateCa(DateTimeOffset now, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=pullsecret-webhook-ca-{now:yyyyMMddHHmmss}, O=pullsecret-webhook", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Back-dated a little: clocks in a cluster are never exactly in step.
        return request.CreateSelfSigned(now.AddMinutes(-5), now + validity);
    }

    /// <summary>A serving certificate for <paramref name="dnsNames"/> signed by <paramref name="ca"/> (which must carry
    /// its private key); the returned certificate carries its own private key. Never outlives the CA.</summary>
    public static X509Certificate2 IssueServing(X509Certificate2 ca, IReadOnlyList<string> dnsNames, DateTimeOffset now, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[^1]}, O=pullsecret-webhook", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var notAfter = now + validity < ca.NotAfter ? now + validity : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number, as RFC 5280 requires
        using var issued = request.Create(ca, now.AddMinutes(-5), notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The DNS names in a certificate's subjectAltName extension.</summary>
    public static IReadOnlyList<string> DnsNamesOf(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return extension is null ? [] : [.. extension.EnumerateDnsNames()];
    }

    /// <summary>True when <paramref name="leaf"/> chains to one of <paramref name="authorities"/> at
    /// <paramref name="at"/>, checked the way a client with exactly that trust would.</summary>
    public static bool ChainsTo(X509Certificate2 leaf, X509Certificate2Collection authorities, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        return chain.Build(leaf);
    }
}

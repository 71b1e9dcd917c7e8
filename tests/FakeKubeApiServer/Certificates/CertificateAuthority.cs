using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FakeKubeApiServer.Certificates;

/// <summary>
/// The fake's own CA (ECDSA P-256, BCL crypto only): it signs the serving certificate
/// (SANs 127.0.0.1, ::1, localhost) and client certificates, which carry the user as CN and the
/// groups as O, the way kube-apiserver reads them
/// (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates).
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _ca;

    public CertificateAuthority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-kube-apiserver-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        _ca = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        Certificate = X509CertificateLoader.LoadCertificate(_ca.RawData);
        ServingCertificate = Issue(
            "CN=fake-kube-apiserver",
            new Oid("1.3.6.1.5.5.7.3.1"),
            san =>
            {
                san.AddIpAddress(IPAddress.Loopback);
                san.AddIpAddress(IPAddress.IPv6Loopback);
                san.AddDnsName("localhost");
            });
    }

    /// <summary>The CA certificate, public part only.</summary>
    public X509Certificate2 Certificate { get; }

    public string CaPem => Certificate.ExportCertificatePem();

    /// <summary>The serving certificate with its private key.</summary>
    public X509Certificate2 ServingCertificate { get; }

    public (string CertPem, string KeyPem) IssueClientCertificate(string user, IEnumerable<string> groups)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups)
        {
            subject.AddOrganizationName(group);
        }

        subject.AddCommonName(user);
        using var certificate = Issue(subject.Build().Name, new Oid("1.3.6.1.5.5.7.3.2"), null);
        using var key = certificate.GetECDsaPrivateKey()!;
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>True when <paramref name="certificate"/> chains to this CA (and nothing else).</summary>
    public bool Signed(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        _ca.Dispose();
        Certificate.Dispose();
        ServingCertificate.Dispose();
    }

    private X509Certificate2 Issue(string subject, Oid usage, Action<SubjectAlternativeNameBuilder>? sans)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        if (sans is not null)
        {
            var builder = new SubjectAlternativeNameBuilder();
            sans(builder);
            request.CertificateExtensions.Add(builder.Build());
        }

        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(_ca, now.AddDays(-1), now.AddMonths(6), serial);
        return signed.CopyWithPrivateKey(key);
    }
}

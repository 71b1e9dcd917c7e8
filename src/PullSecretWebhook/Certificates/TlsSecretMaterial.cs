using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PullSecretWebhook.Certificates;

/// <summary>What the self-managed TLS Secret holds: the serving certificate and key (<c>tls.crt</c>, <c>tls.key</c>,
/// as every <c>kubernetes.io/tls</c> Secret), the CA bundle the API server must trust (<c>ca.crt</c>: the current CA
/// first, then any previous CA that has not expired yet) and the current CA's key (<c>ca.key</c>, so that any
/// replica can renew the serving certificate without changing the bundle).</summary>
/// <remarks>CA rotation, kept simple: a CA is replaced <c>Tls:RenewBefore</c> before it expires, and the previous one
/// stays in <c>ca.crt</c> (and so in the webhook's <c>caBundle</c>) until it expires by itself. Replicas still
/// serving a certificate of the previous CA are therefore trusted for the whole <c>Tls:RenewBefore</c> (30 days by
/// default), far longer than the <c>Tls:SecretPollInterval</c> it takes every replica to switch.</remarks>
internal sealed class TlsSecretMaterial
{
    public const string CertificateKey = "tls.crt";
    public const string PrivateKeyKey = "tls.key";
    public const string CaBundleKey = "ca.crt";
    public const string CaPrivateKeyKey = "ca.key";

    private TlsSecretMaterial(X509Certificate2 leaf, X509Certificate2 ca, X509Certificate2Collection bundle)
    {
        Leaf = leaf;
        Ca = ca;
        Bundle = bundle;
    }

    /// <summary>The serving certificate, with its private key.</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The CA that signs new serving certificates, with its private key.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>Every CA to trust, current first.</summary>
    public X509Certificate2Collection Bundle { get; }

    public byte[] CaBundlePem => Encoding.ASCII.GetBytes(string.Concat(Bundle.Select(c => c.ExportCertificatePem() + "\n")));

    /// <summary>A new CA and serving certificate; CAs of <paramref name="previous"/> that are still valid stay trusted.</summary>
    public static TlsSecretMaterial Create(IReadOnlyList<string> dnsNames, TlsOptions options, DateTimeOffset now, TlsSecretMaterial? previous = null)
    {
        var ca = CertificateIssuer.CreateCa(now, options.CaValidity);
        var bundle = new X509Certificate2Collection(ca);
        foreach (var old in previous?.Bundle ?? [])
        {
            if (old.NotAfter.ToUniversalTime() > now.UtcDateTime && old.Thumbprint != ca.Thumbprint)
            {
                bundle.Add(old);
            }
        }

        return new TlsSecretMaterial(CertificateIssuer.IssueServing(ca, dnsNames, now, options.CertificateValidity), ca, bundle);
    }

    /// <summary>What is due: null when nothing is; else why, and whether the CA itself must be replaced.</summary>
    public (string Reason, bool NewCa)? Due(IReadOnlyList<string> dnsNames, TimeSpan renewBefore, DateTimeOffset now)
    {
        if (Ca.NotAfter.ToUniversalTime() - now.UtcDateTime < renewBefore)
        {
            return ($"the CA expires {Ca.NotAfter.ToUniversalTime():O}", true);
        }

        if (Leaf.NotAfter.ToUniversalTime() - now.UtcDateTime < renewBefore)
        {
            return ($"the serving certificate expires {Leaf.NotAfter.ToUniversalTime():O}", false);
        }

        if (!CertificateIssuer.DnsNamesOf(Leaf).Order(StringComparer.Ordinal).SequenceEqual(dnsNames.Order(StringComparer.Ordinal)))
        {
            return ("the serving certificate's names differ from the Service's", false);
        }

        return null;
    }

    /// <summary>Due material renewed: a new serving certificate from the same CA, or a new CA when it is the CA that is due.</summary>
    public TlsSecretMaterial Renew(IReadOnlyList<string> dnsNames, TlsOptions options, DateTimeOffset now, bool newCa) =>
        newCa ? Create(dnsNames, options, now, this) : new TlsSecretMaterial(CertificateIssuer.IssueServing(Ca, dnsNames, now, options.CertificateValidity), Ca, Bundle);

    public Dictionary<string, byte[]> ToData() => new(StringComparer.Ordinal)
    {
        [CertificateKey] = Encoding.ASCII.GetBytes(Leaf.ExportCertificatePem() + "\n"),
        [PrivateKeyKey] = Encoding.ASCII.GetBytes(PrivateKeyPem(Leaf) + "\n"),
        [CaBundleKey] = CaBundlePem,
        [CaPrivateKeyKey] = Encoding.ASCII.GetBytes(PrivateKeyPem(Ca) + "\n"),
    };

    /// <summary>Reads the material back; on failure <paramref name="problem"/> says what is wrong (never key bytes).</summary>
    public static bool TryRead(IReadOnlyDictionary<string, byte[]>? data, DateTimeOffset now, out TlsSecretMaterial? material, out string problem)
    {
        material = null;
        if (data is null || !data.TryGetValue(CertificateKey, out var cert) || !data.TryGetValue(PrivateKeyKey, out var key)
            || !data.TryGetValue(CaBundleKey, out var caBundle) || !data.TryGetValue(CaPrivateKeyKey, out var caKey))
        {
            problem = $"one of {CertificateKey}, {PrivateKeyKey}, {CaBundleKey}, {CaPrivateKeyKey} is missing";
            return false;
        }

        try
        {
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPem(Encoding.ASCII.GetString(caBundle));
            if (bundle.Count == 0)
            {
                problem = $"{CaBundleKey} holds no certificate";
                return false;
            }

            var ca = X509Certificate2.CreateFromPem(bundle[0].ExportCertificatePem(), Encoding.ASCII.GetString(caKey));
            var leaf = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(cert), Encoding.ASCII.GetString(key));
            if (!CertificateIssuer.ChainsTo(leaf, [ca], now))
            {
                problem = $"{CertificateKey} is not valid now or not signed by the first CA of {CaBundleKey}";
                return false;
            }

            material = new TlsSecretMaterial(leaf, ca, bundle);
            problem = "";
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // The exception text names the PEM problem or a key that does not match; it never contains key material.
            problem = e.Message;
            return false;
        }
    }

    private static string PrivateKeyPem(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the certificate has no ECDSA private key");
        return key.ExportPkcs8PrivateKeyPem();
    }
}

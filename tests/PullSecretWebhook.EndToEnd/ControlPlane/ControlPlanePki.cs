using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PullSecretWebhook.EndToEnd.ControlPlane;

/// <summary>The files a control plane needs, written into its folder: a CA, the API server's serving certificate for
/// loopback, and the ServiceAccount token signing key pair.</summary>
internal sealed class ControlPlanePki
{
    private ControlPlanePki(string folder) => Folder = folder;

    public string Folder { get; }

    public string CaCertFile => Path.Combine(Folder, "ca.crt");

    public string CaKeyFile => Path.Combine(Folder, "ca.key");

    public string ServingCertFile => Path.Combine(Folder, "apiserver.crt");

    public string ServingKeyFile => Path.Combine(Folder, "apiserver.key");

    public string ServiceAccountKeyFile => Path.Combine(Folder, "sa.key");

    public string ServiceAccountPublicKeyFile => Path.Combine(Folder, "sa.pub");

    public string CaPem => File.ReadAllText(CaCertFile);

    public static ControlPlanePki Write(string folder, string serviceClusterIpRange)
    {
        Directory.CreateDirectory(folder);
        var pki = new ControlPlanePki(folder);

        // One clock reading for both certificates, and the CA outliving the leaf: a leaf may not end after its issuer,
        // and two separate UtcNow readings a second apart made the leaf's end the later one now and then.
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=e2e-control-plane-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(8));
        File.WriteAllText(pki.CaCertFile, ca.ExportCertificatePem());
        File.WriteAllText(pki.CaKeyFile, caKey.ExportPkcs8PrivateKeyPem());

        using var servingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var servingRequest = new CertificateRequest("CN=kube-apiserver", servingKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        // The `kubernetes` Service's ClusterIP: the first address of the Service range.
        names.AddIpAddress(IPAddress.Parse(serviceClusterIpRange.Replace(".0/24", ".1", StringComparison.Ordinal)));
        names.AddDnsName("localhost");
        names.AddDnsName("kubernetes.default.svc");
        servingRequest.CertificateExtensions.Add(names.Build());
        servingRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        servingRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var serving = servingRequest.Create(ca, now.AddHours(-1), now.AddDays(7), serial);
        File.WriteAllText(pki.ServingCertFile, serving.ExportCertificatePem());
        File.WriteAllText(pki.ServingKeyFile, servingKey.ExportPkcs8PrivateKeyPem());

        using var serviceAccountKey = RSA.Create(2048);
        File.WriteAllText(pki.ServiceAccountKeyFile, serviceAccountKey.ExportRSAPrivateKeyPem());
        File.WriteAllText(pki.ServiceAccountPublicKeyFile, serviceAccountKey.ExportSubjectPublicKeyInfoPem());
        return pki;
    }
}

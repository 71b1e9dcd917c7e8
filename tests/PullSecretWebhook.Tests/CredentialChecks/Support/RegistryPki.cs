using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PullSecretWebhook.Tests.CredentialChecks.Support;

/// <summary>The test CA, the serving certificate of every test registry and token service (127.0.0.1, localhost),
/// and the token signing key with the certificate the token registry trusts (<c>auth.token.rootcertbundle</c>).</summary>
internal sealed class RegistryPki : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public RegistryPki(string directory)
    {
        Directory.CreateDirectory(directory);
        var caRequest = new CertificateRequest("CN=psw-registry-test-ca", _caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var server = request.Create(Ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(16));
        Serving = X509Certificate2.CreateFromPem(server.ExportCertificatePem(), serverKey.ExportPkcs8PrivateKeyPem());

        var signingRequest = new CertificateRequest("CN=psw-token-signer", SigningKey, HashAlgorithmName.SHA256);
        using var signer = signingRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        CertDirectory = Directory.CreateDirectory(Path.Combine(directory, "trust")).FullName;
        CaFile = Path.Combine(CertDirectory, "ca.crt"); // skopeo's --cert-dir takes *.crt as CAs
        File.WriteAllText(CaFile, Ca.ExportCertificatePem());
        ServerCertFile = Path.Combine(directory, "server.pem");
        File.WriteAllText(ServerCertFile, server.ExportCertificatePem());
        ServerKeyFile = Path.Combine(directory, "server-key.pem");
        File.WriteAllText(ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem());
        SignerCertFile = Path.Combine(directory, "token-signer.pem");
        File.WriteAllText(SignerCertFile, signer.ExportCertificatePem());
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Serving { get; }

    public ECDsa SigningKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Holds only <c>ca.crt</c> among certificates: skopeo's <c>--cert-dir</c>.</summary>
    public string CertDirectory { get; }

    public string CaFile { get; }

    public string ServerCertFile { get; }

    public string ServerKeyFile { get; }

    public string SignerCertFile { get; }

    /// <summary>An HttpClient that trusts the test CA only.</summary>
    public HttpClient TrustingClient() => new(new SocketsHttpHandler
    {
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(Ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return chain.Build(leaf);
            },
        },
    })
    { Timeout = TimeSpan.FromSeconds(5) };

    public void Dispose()
    {
        Ca.Dispose();
        Serving.Dispose();
        SigningKey.Dispose();
        _caKey.Dispose();
    }
}

using System.Security.Cryptography.X509Certificates;

namespace PullSecretWebhook.Kube.Transport;

/// <summary>The client certificate the next TLS handshake presents: written by <see cref="CredentialsHandler"/> from the
/// credential provider before each request, read by the handshake (<see cref="KubeTls"/>).</summary>
internal sealed class ClientCertificateSlot
{
    private X509Certificate2? _current;

    public X509Certificate2? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }
}

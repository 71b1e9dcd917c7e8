using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PullSecretWebhook.Certificates;

/// <summary>The certificate Kestrel serves right now. Swapped atomically on reload; each TLS handshake reads the
/// current one, so a rotation needs no restart and drops no connection.</summary>
internal sealed class ServingCertificate
{
    private volatile Loaded? _current;

    /// <summary>The leaf certificate, or null before the first successful load (then <c>/readyz</c> fails).</summary>
    public X509Certificate2? Current => _current?.Leaf;

    /// <summary>The leaf with its intermediates, built once per certificate rather than once per handshake.</summary>
    public SslStreamCertificateContext? Context => _current?.Context;

    public void Set(X509Certificate2 leaf, X509Certificate2Collection intermediates)
    {
        // offline: the chain is what the files say; never fetch intermediates over the network during a handshake.
        var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        _current = new Loaded(leaf, context);
    }

    private sealed record Loaded(X509Certificate2 Leaf, SslStreamCertificateContext Context);
}

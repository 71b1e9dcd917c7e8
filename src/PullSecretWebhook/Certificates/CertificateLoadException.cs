namespace PullSecretWebhook.Certificates;

/// <summary>A serving certificate could not be loaded; the message names the setting and the file.</summary>
internal sealed class CertificateLoadException : Exception
{
    public CertificateLoadException(string message) : base(message)
    {
    }

    public CertificateLoadException(string message, Exception inner) : base(message, inner)
    {
    }
}

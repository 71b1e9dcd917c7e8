namespace PullSecretWebhook.CredentialChecks;

/// <summary>The check could not get an answer that speaks the protocol: the reason names the step and the cause
/// (DNS, TCP, TLS, a redirect not followed, an answer too large), never a credential.</summary>
internal sealed class RegistryUnreachableException : Exception
{
    /// <summary>The TLS handshake failed (the loopback fallback to plain HTTP keys on it).</summary>
    public bool IsTlsFailure { get; init; }

    public RegistryUnreachableException()
    {
    }

    public RegistryUnreachableException(string message)
        : base(message)
    {
    }

    public RegistryUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace PullSecretWebhook.Certificates;

internal static partial class CertificateLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Serving certificate loaded from {Source}: subject {Subject}, expires {NotAfter:O}, thumbprint {Thumbprint}")]
    public static partial void Loaded(ILogger logger, string source, string subject, DateTime notAfter, string thumbprint);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Serving certificate reload failed; still serving the previous certificate: {Problem}")]
    public static partial void ReloadFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Serving a self-signed development certificate for localhost; the Kubernetes API server will not trust it. Set Tls:CertFile and Tls:KeyFile in a cluster.")]
    public static partial void DevelopmentCertificateInUse(ILogger logger);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Created TLS Secret {Namespace}/{Name}: a new CA (expires {CaNotAfter:O}) and serving certificate (expires {NotAfter:O})")]
    public static partial void SecretCreated(ILogger logger, string @namespace, string name, DateTime notAfter, DateTime caNotAfter);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "TLS Secret {Namespace}/{Name} was written by another replica first; using that one")]
    public static partial void SecretRaceLost(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "Renewed TLS Secret {Namespace}/{Name} because {Reason} (new CA: {NewCa}); the serving certificate now expires {NotAfter:O}")]
    public static partial void SecretRenewed(ILogger logger, string @namespace, string name, string reason, bool newCa, DateTime notAfter);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "TLS Secret {Namespace}/{Name} holds no usable certificate ({Problem}); replacing it")]
    public static partial void SecretInvalid(ILogger logger, string @namespace, string name, string problem);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "TLS Secret {Namespace}/{Name} is due for renewal ({Reason}) but is not managed by pullsecret-webhook; serving it unchanged")]
    public static partial void SecretNotOurs(ILogger logger, string @namespace, string name, string reason);

    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "Could not read or renew the TLS Secret; retrying: {Problem}")]
    public static partial void SecretSyncFailed(ILogger logger, string problem);
}

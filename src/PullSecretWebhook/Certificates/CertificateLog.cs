namespace PullSecretWebhook.Certificates;

internal static partial class CertificateLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Serving certificate loaded from {Source}: subject {Subject}, expires {NotAfter:O}, thumbprint {Thumbprint}")]
    public static partial void Loaded(ILogger logger, string source, string subject, DateTime notAfter, string thumbprint);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Serving certificate reload failed; still serving the previous certificate: {Problem}")]
    public static partial void ReloadFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Serving a self-signed development certificate for localhost; the Kubernetes API server will not trust it. Set Tls:CertFile and Tls:KeyFile in a cluster.")]
    public static partial void DevelopmentCertificateInUse(ILogger logger);
}

namespace PullSecretWebhook.Certificates;

/// <summary>Where the serving certificate comes from (<c>Tls:Mode</c>).</summary>
internal enum TlsMode
{
    /// <summary><see cref="Files"/> when <c>Tls:CertFile</c>/<c>Tls:KeyFile</c> are set; else <see cref="SelfManaged"/>
    /// when running in a cluster (see <see cref="ClusterPresence"/>); else <see cref="Development"/>.</summary>
    Auto,

    /// <summary>PEM files, typically a mounted <c>kubernetes.io/tls</c> Secret; reloaded when they change.</summary>
    Files,

    /// <summary>A self-signed certificate for localhost, generated in memory at start-up; for local use only.</summary>
    Development,

    /// <summary>The server makes its own CA and serving certificate and keeps them in a <c>kubernetes.io/tls</c> Secret
    /// in its namespace, shared by every replica and renewed before expiry.</summary>
    SelfManaged,
}

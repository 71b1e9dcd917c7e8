using System.Security.Cryptography.X509Certificates;
using PullSecretWebhook.Kube.Config;

namespace PullSecretWebhook.Kube.Auth;

/// <summary>
/// A bearer token read from a file and re-read when older than <see cref="RefreshAfter"/>: projected
/// service account tokens rotate (the kubelet rewrites the file well before expiry), and client-go
/// re-reads its token file once a minute for the same reason.
/// </summary>
internal sealed class TokenFileCredentialProvider(
    string path,
    TimeProvider timeProvider,
    X509Certificate2? clientCertificate = null) : KubeCredentialProvider
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private KubeCredentials? _cached;
    private DateTimeOffset _readAt;

    public override async ValueTask<KubeCredentials> GetAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (_cached is not null && now - _readAt < RefreshAfter)
            {
                return _cached;
            }
        }

        string token;
        try
        {
            token = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lock (_lock)
            {
                // A failed re-read keeps the last good token: it is usually still valid for a while.
                if (_cached is not null)
                {
                    return _cached;
                }
            }

            throw new KubeConfigException($"cannot read token file {path}: {ex.Message}", ex);
        }

        if (token.Length == 0)
        {
            throw new KubeConfigException($"token file {path} is empty");
        }

        var credentials = new KubeCredentials(token, clientCertificate);
        lock (_lock)
        {
            _cached = credentials;
            _readAt = now;
        }

        return credentials;
    }

    public override bool Invalidate(KubeCredentials rejected)
    {
        lock (_lock)
        {
            _cached = null;
        }

        return true;
    }
}

namespace PullSecretWebhook.Kube.Auth;

/// <summary>Hands out the current credentials; implementations cache and refresh them.</summary>
internal abstract class KubeCredentialProvider
{
    public abstract ValueTask<KubeCredentials> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Called after the API server answered 401 to <paramref name="rejected"/>. Returns true when the
    /// next <see cref="GetAsync"/> may yield something different, so one retry is worth it.
    /// </summary>
    public virtual bool Invalidate(KubeCredentials rejected) => false;
}

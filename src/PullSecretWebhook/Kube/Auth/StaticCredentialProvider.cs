namespace PullSecretWebhook.Kube.Auth;

/// <summary>Credentials written into the kubeconfig itself (token, client certificate).</summary>
internal sealed class StaticCredentialProvider(KubeCredentials credentials) : KubeCredentialProvider
{
    public override ValueTask<KubeCredentials> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);
}

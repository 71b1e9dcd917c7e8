namespace PullSecretWebhook.Kube.Auth;

/// <summary>A kubeconfig <c>users[].user.exec</c> entry, paths already resolved.</summary>
internal sealed record ExecPluginSettings(
    string UserName,
    string Command,
    IReadOnlyList<string> Args,
    IReadOnlyList<KeyValuePair<string, string>> Env,
    string ApiVersion,
    string? InstallHint,
    bool ProvideClusterInfo)
{
    public const string V1 = "client.authentication.k8s.io/v1";
    public const string V1Beta1 = "client.authentication.k8s.io/v1beta1";
}

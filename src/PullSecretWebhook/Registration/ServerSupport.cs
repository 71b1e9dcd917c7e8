using PullSecretWebhook.Kube;
using k8s;

namespace PullSecretWebhook.Registration;

/// <summary>What the API server makes of the registration's fields, by the version it reports on <c>/version</c>:
/// <see cref="Version"/> is null when it could not be read (<see cref="Problem"/> says why).</summary>
internal sealed record ServerSupport(KubernetesVersion? Version, string Description, string? Problem)
{
    /// <summary>matchConditions are alpha (off) in 1.27, beta and on by default from 1.28, GA in 1.30; a server with
    /// them off, or one that predates them, drops the field on write without an error.</summary>
    public static readonly KubernetesVersion MatchConditionsByDefault = new(1, 28);

    /// <summary>Namespaces carry the <c>kubernetes.io/metadata.name</c> label from 1.21; before, the
    /// namespaceSelector's NotIn on it matches every namespace.</summary>
    public static readonly KubernetesVersion NamespaceNameLabel = new(1, 21);

    /// <summary><c>Registration:MatchConditions</c> when set; unset, only where they are on by default. An unknown
    /// version counts as an old one: the webhook skips those Pods itself, so leaving them out is always safe.</summary>
    public bool IncludesMatchConditions(bool? setting) => setting ?? Version?.IsAtLeast(MatchConditionsByDefault) ?? false;

    /// <summary>False only for a server known to predate the label; an unknown one is not suspected.</summary>
    public bool LabelsNamespacesByName => Version?.IsAtLeast(NamespaceNameLabel) ?? true;

    /// <summary>Asks the server. An error answer (RBAC without the default discovery bindings, a proxy, a body that is
    /// no version) is an unknown version; a server that cannot be reached at all throws, as registration cannot
    /// proceed then either, and the next attempt asks again.</summary>
    public static async Task<ServerSupport> ReadAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            var info = await client.Version.GetCodeAsync(cancellationToken);
            if (KubernetesVersion.TryParse(info, out var version))
            {
                return new ServerSupport(version, string.IsNullOrEmpty(info.GitVersion) ? $"v{version}" : info.GitVersion, null);
            }

            var problem = $"/version names no release: major \"{info.Major}\", minor \"{info.Minor}\", gitVersion \"{info.GitVersion}\"";
            return new ServerSupport(null, $"(version unknown: {problem})", problem);
        }
        catch (KubeApiException e)
        {
            return new ServerSupport(null, $"(version unknown: {e.Message})", e.Message);
        }
    }
}

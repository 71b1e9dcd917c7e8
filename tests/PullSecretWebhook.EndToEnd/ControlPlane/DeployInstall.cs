using System.Text.RegularExpressions;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.ControlPlane;

/// <summary><c>deploy/</c> applied as an operator would: rendered with kustomize, applied with kubectl. Objects of
/// kinds the server does not serve are collected and reported, not hidden.</summary>
internal sealed partial class DeployInstall
{
    private DeployInstall(string overlay, string manifests, IReadOnlyList<string> refused, string serviceClusterIp)
    {
        Overlay = overlay;
        Manifests = manifests;
        Refused = refused;
        ServiceClusterIp = serviceClusterIp;
    }

    public string Overlay { get; }

    public string Manifests { get; }

    /// <summary>kubectl's own words for every object the server refused (e.g. a kind this version lacks).</summary>
    public IReadOnlyList<string> Refused { get; }

    /// <summary>The ClusterIP of Service <c>pullsecret-webhook</c>: a webhook listening on it at port 443 is the one
    /// the API server calls through the Service reference.</summary>
    public string ServiceClusterIp { get; }

    public Uri WebhookUrl => new($"https://{ServiceClusterIp}:443");

    public static async Task<DeployInstall> ApplyAsync(KubeControlPlane plane, string overlay)
    {
        var (renderCode, manifests, renderError) = await Tools.RunAsync("kubectl", ["kustomize", Path.Combine(Tools.RepositoryRoot, overlay)]);
        if (renderCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {overlay} failed: {renderError}");
        }

        var (_, applied, errors) = await plane.ApplyAsync(manifests);
        var refused = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("error", StringComparison.OrdinalIgnoreCase) || l.Contains("no matches for kind", StringComparison.Ordinal)).ToList();
        if (!applied.Contains("service/pullsecret-webhook", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"kubectl apply of {overlay} did not create the Service: {applied}\n{errors}");
        }

        var service = await plane.Admin.GetAsync($"/api/v1/namespaces/{KubeControlPlane.ProductNamespace}/services/pullsecret-webhook")
            ?? throw new InvalidOperationException("Service pullsecret-webhook is missing after apply");
        var clusterIp = (string)service["spec"]!["clusterIP"]!;
        return new DeployInstall(overlay, manifests, refused, clusterIp);
    }

    /// <summary>The kinds named in <see cref="Refused"/> (<c>PodDisruptionBudget in version "policy/v1"</c>).</summary>
    public IReadOnlyList<string> RefusedKinds => [.. Refused.Select(r => NoMatches().Match(r)).Where(m => m.Success).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").Distinct()];

    [GeneratedRegex("no matches for kind \"([^\"]+)\" in version \"([^\"]+)\"")]
    private static partial Regex NoMatches();
}

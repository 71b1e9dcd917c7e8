using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static PullSecretWebhook.EndToEnd.Fidelity.Probe;

namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>Where 1.20 and 1.32 differ by design; the differences are listed, with their reason, in
/// <see cref="KnownDifferences"/>.</summary>
internal static partial class Sequences
{
    public const string Discovery = "Discovery: the served resources, their verbs, scope and short names agree; the version and aggregated discovery do not";
    public const string FreshNamespace = "Namespaces: what a new namespace holds (its default ServiceAccount, its label, token Secrets)";

    /// <summary>kubectl 1.32's discovery Accept header: aggregated discovery first, the legacy documents as fallback.</summary>
    private const string KubectlDiscoveryAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    private static IEnumerable<Sequence> VersionSequences()
    {
        yield return new(Discovery, async p =>
        {
            await p.GetAsync("version", "/version", r => Fields(r.Json, "major", "minor"));
            await p.StepAsync("/apis with kubectl's Accept header", HttpMethod.Get, "/apis", accept: KubectlDiscoveryAccept, facts: r => Fields(r.Json, "kind", "apiVersion"));
            await p.GetAsync("policy/v1", "/apis/policy/v1");
            foreach (var (groupVersion, resources) in new[]
            {
                ("/api/v1", (string[])["namespaces", "secrets", "serviceaccounts", "pods", "events", "configmaps"]),
                ("/apis/coordination.k8s.io/v1", ["leases"]),
                ("/apis/events.k8s.io/v1", ["events"]),
                ("/apis/admissionregistration.k8s.io/v1", ["mutatingwebhookconfigurations"]),
                ("/apis/rbac.authorization.k8s.io/v1", ["roles", "rolebindings", "clusterroles", "clusterrolebindings"]),
            })
            {
                // Only what the fake serves: subresources and kinds it does not have are the real server's own.
                await p.GetAsync(groupVersion, groupVersion, r => string.Join("; ", (r.Json?["resources"]?.AsArray() ?? [])
                    .Where(x => resources.Contains((string?)x?["name"]))
                    .OrderBy(x => (string?)x?["name"], StringComparer.Ordinal) // the real server sorts; order means nothing
                    .Select(x => $"{x?["name"]} {x?["kind"]} namespaced={x?["namespaced"]} verbs={Canonical(x?["verbs"])} short={Canonical(x?["shortNames"] ?? new JsonArray())}")));
            }
        });

        yield return new(FreshNamespace, async p =>
        {
            await p.GetAsync("its labels", $"{Namespaces}/{{ns}}", r => Field(r.Json, "metadata.labels"));
            await p.GetAsync("its ServiceAccounts", ServiceAccounts, Names);
            await p.GetAsync("its default ServiceAccount", $"{ServiceAccounts}/default", r => TokenNames().Replace(Fields(r.Json, "secrets", "imagePullSecrets"), "$1-token-*"));
            await p.GetAsync("its Secrets", Secrets, r => TokenNames().Replace(Names(r), "$1-token-*"));
            await p.GetAsync("select it by its name label", $"{Namespaces}?labelSelector=kubernetes.io%2Fmetadata.name%3D{{ns}}", Names);
        });
    }

    [GeneratedRegex("([a-z0-9-]+)-token-[a-z0-9]{5}")]
    private static partial Regex TokenNames();
}

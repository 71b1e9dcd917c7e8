using System.Globalization;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Discovery;

/// <summary>
/// The discovery documents kubectl and client-go read before anything else
/// (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api): the legacy
/// per-group-version documents (APIVersions, APIGroupList, APIResourceList) and the aggregated
/// APIGroupDiscoveryList (apidiscovery.k8s.io/v2) that clients since 1.26 ask for first.
/// </summary>
internal static class DiscoveryDocuments
{
    public static JsonObject Version(ServerVersion version) => new()
    {
        ["major"] = version.Major.ToString(CultureInfo.InvariantCulture),
        ["minor"] = version.Minor.ToString(CultureInfo.InvariantCulture),
        ["gitVersion"] = version.GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T00:00:00Z",
        ["goVersion"] = "go1.23.3",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    /// <summary>GET /api: the legacy core group's versions.</summary>
    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    /// <summary>GET /apis: every named group with its (single, preferred) version.</summary>
    public static JsonObject ApiGroupList()
    {
        var groups = new JsonArray();
        foreach (var group in ResourceCatalog.ByGroup().Where(g => g.Key.Length > 0))
        {
            var version = group.First().Version;
            var groupVersion = new JsonObject { ["groupVersion"] = $"{group.Key}/{version}", ["version"] = version };
            groups.Add(new JsonObject
            {
                ["name"] = group.Key,
                ["versions"] = new JsonArray(groupVersion),
                ["preferredVersion"] = groupVersion.DeepClone(),
            });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    /// <summary>GET /api/v1 or /apis/GROUP/VERSION; null when the group version is not served.</summary>
    public static JsonObject? ApiResourceList(string group, string version)
    {
        var types = ResourceCatalog.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var type in types)
        {
            var resource = new JsonObject
            {
                ["name"] = type.Resource,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Strings(type.Verbs),
            };
            if (type.ShortNames.Count > 0)
            {
                resource["shortNames"] = Strings(type.ShortNames);
            }

            if (type == ResourceCatalog.Pods)
            {
                resource["categories"] = new JsonArray("all");
            }

            resources.Add(resource);
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = types[0].ApiVersion,
            ["resources"] = resources,
        };
    }

    /// <summary>
    /// The aggregated document: /api answers with the core group only, /apis with the others.
    /// <paramref name="apiVersion"/> is apidiscovery.k8s.io/v2 or v2beta1 (same shape).
    /// </summary>
    public static JsonObject Aggregated(bool legacy, string apiVersion)
    {
        var items = new JsonArray();
        foreach (var group in ResourceCatalog.ByGroup().Where(g => (g.Key.Length == 0) == legacy))
        {
            var resources = new JsonArray();
            foreach (var type in group)
            {
                var resource = new JsonObject
                {
                    ["resource"] = type.Resource,
                    ["responseKind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                    ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
                    ["singularResource"] = type.Singular,
                    ["verbs"] = Strings(type.Verbs),
                };
                if (type.ShortNames.Count > 0)
                {
                    resource["shortNames"] = Strings(type.ShortNames);
                }

                if (type == ResourceCatalog.Pods)
                {
                    resource["categories"] = new JsonArray("all");
                }

                resources.Add(resource);
            }

            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = group.Key, ["creationTimestamp"] = null },
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["version"] = group.First().Version,
                    ["resources"] = resources,
                    ["freshness"] = "Current",
                }),
            });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = apiVersion,
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}

using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Patching;

/// <summary>
/// The strategic-merge-patch metadata of a field: the <c>patchStrategy</c>/<c>patchMergeKey</c>
/// struct tags of k8s.io/api (also published as x-kubernetes-patch-strategy/-merge-key in the
/// OpenAPI). For a list field, <see cref="Fields"/> describes its elements. Lists without an entry
/// here are atomic: a patch replaces them.
/// </summary>
internal sealed class PatchSchema
{
    private static readonly PatchSchema Container = new()
    {
        Fields =
        {
            ["ports"] = List("containerPort"),
            ["env"] = List("name"),
            ["volumeMounts"] = List("mountPath"),
            ["volumeDevices"] = List("devicePath"),
        },
    };

    private static readonly PatchSchema PodSpec = new()
    {
        Fields =
        {
            ["containers"] = List("name", Container),
            ["initContainers"] = List("name", Container),
            ["ephemeralContainers"] = List("name", Container),
            ["volumes"] = List("name", retainKeys: true),
            ["imagePullSecrets"] = List("name"),
            ["hostAliases"] = List("ip"),
            ["schedulingGates"] = List("name"),
            ["resourceClaims"] = List("name", retainKeys: true),
        },
    };

    private static readonly PatchSchema Metadata = new()
    {
        Fields =
        {
            ["finalizers"] = new PatchSchema { MergePrimitives = true },
            ["ownerReferences"] = List("uid"),
        },
    };

    private static readonly Dictionary<ResourceType, PatchSchema> ByType = new()
    {
        [ResourceCatalog.Pods] = Root(("spec", PodSpec), ("status", new PatchSchema { Fields = { ["conditions"] = List("type"), ["podIPs"] = List("ip") } })),
        // ServiceAccount.imagePullSecrets has no patch strategy (unlike PodSpec's): a strategic merge patch
        // replaces the whole list. Only secrets merges by name.
        [ResourceCatalog.ServiceAccounts] = Root(("secrets", List("name"))),
        [ResourceCatalog.MutatingWebhookConfigurations] = Root(("webhooks", List("name"))),
    };

    private static readonly PatchSchema Default = Root();

    /// <summary>For a list of objects: the key that identifies an element (merge strategy).</summary>
    public string? MergeKey { get; init; }

    /// <summary>For a list of scalars with the merge strategy (finalizers): union, not replace.</summary>
    public bool MergePrimitives { get; init; }

    /// <summary>The retainKeys strategy: <c>$retainKeys</c> in a patch clears unlisted fields.</summary>
    public bool RetainKeys { get; init; }

    public Dictionary<string, PatchSchema> Fields { get; } = new(StringComparer.Ordinal);

    public static PatchSchema For(ResourceType type) => ByType.GetValueOrDefault(type, Default);

    public PatchSchema? Field(string name) => Fields.GetValueOrDefault(name);

    private static PatchSchema List(string mergeKey, PatchSchema? element = null, bool retainKeys = false)
    {
        var list = new PatchSchema { MergeKey = mergeKey, RetainKeys = retainKeys };
        foreach (var (name, schema) in element?.Fields ?? [])
        {
            list.Fields[name] = schema;
        }

        return list;
    }

    private static PatchSchema Root(params (string Name, PatchSchema Schema)[] fields)
    {
        var root = new PatchSchema { Fields = { ["metadata"] = Metadata } };
        foreach (var (name, schema) in fields)
        {
            root.Fields[name] = schema;
        }

        return root;
    }
}

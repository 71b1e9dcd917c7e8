namespace FakeKubeApiServer.Store;

/// <summary>One served resource: where it lives in the API and how it is shown in discovery.</summary>
/// <param name="GenerationSource">
/// Top-level field whose changes bump <c>metadata.generation</c> (<c>spec</c> for most kinds,
/// <c>webhooks</c> for webhook configurations); null for kinds without a generation (Secret).
/// </param>
/// <param name="CreateOnly">A review-style resource: only "create", answered, never stored.</param>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Resource,
    string Kind,
    bool Namespaced,
    string Singular,
    IReadOnlyList<string> ShortNames,
    string? GenerationSource,
    bool CreateOnly = false)
{
    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>Namespaces cannot be deleted as a collection (their REST storage has no DeleteCollection).</summary>
    public bool NoDeleteCollection { get; init; }

    public IReadOnlyList<string> Verbs => CreateOnly ? ["create"] : NoDeleteCollection ? [.. AllVerbs.Where(v => v != "deletecollection")] : AllVerbs;

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>"secrets" for core, "leases.coordination.k8s.io" otherwise: how errors name a resource.</summary>
    public string QualifiedResource => Group.Length == 0 ? Resource : $"{Resource}.{Group}";

    /// <summary>"Secret" for core, "Lease.coordination.k8s.io" otherwise: how Invalid errors and delete preconditions
    /// name a kind (schema.GroupKind.String()).</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    /// <summary>The object's etcd key, as storage errors quote it (<c>/registry/secrets/ns/name</c>).</summary>
    public string StorageKey(string? ns, string name) => string.IsNullOrEmpty(ns) ? $"/registry/{Resource}/{name}" : $"/registry/{Resource}/{ns}/{name}";

    /// <summary>Path prefix of the group version: /api/v1 or /apis/group/version.</summary>
    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    public override string ToString() => $"{ApiVersion}/{Resource}";
}

namespace FakeKubeApiServer.Store;

/// <summary>The resources this fake serves, as kube-apiserver 1.32 declares them.</summary>
internal static class ResourceCatalog
{
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", false, "namespace", ["ns"], null) { NoDeleteCollection = true };
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "Secret", true, "secret", [], null);
    public static readonly ResourceType ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", true, "serviceaccount", ["sa"], null);
    // Pods have no metadata.generation before 1.33 (KEP-5067).
    public static readonly ResourceType Pods = new("", "v1", "pods", "Pod", true, "pod", ["po"], null);
    public static readonly ResourceType CoreEvents = new("", "v1", "events", "Event", true, "event", ["ev"], null);
    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true, "configmap", ["cm"], null);
    public static readonly ResourceType Events = new("events.k8s.io", "v1", "events", "Event", true, "event", ["ev"], null);
    public static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true, "lease", [], null);
    public static readonly ResourceType MutatingWebhookConfigurations = new("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false, "mutatingwebhookconfiguration", [], "webhooks");
    public static readonly ResourceType Roles = new("rbac.authorization.k8s.io", "v1", "roles", "Role", true, "role", [], null);
    public static readonly ResourceType ClusterRoles = new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, "clusterrole", [], null);
    public static readonly ResourceType RoleBindings = new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, "rolebinding", [], null);
    public static readonly ResourceType ClusterRoleBindings = new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, "clusterrolebinding", [], null);

    /// <summary>Answered by the authorizer (kubectl auth can-i), not stored.</summary>
    public static readonly ResourceType SelfSubjectAccessReviews = new("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false, "selfsubjectaccessreview", [], null, CreateOnly: true);

    public static readonly IReadOnlyList<ResourceType> All =
    [
        Namespaces, Secrets, ServiceAccounts, Pods, CoreEvents, ConfigMaps, Events, Leases,
        MutatingWebhookConfigurations, Roles, ClusterRoles, RoleBindings, ClusterRoleBindings,
        SelfSubjectAccessReviews,
    ];

    /// <summary>Group versions in the order discovery lists them ("" is the legacy core group).</summary>
    public static IEnumerable<IGrouping<string, ResourceType>> ByGroup() => All.GroupBy(t => t.Group);

    public static ResourceType? Find(string group, string version, string resource) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Resource == resource);

    /// <summary>Looks a type up by apiVersion ("v1", "coordination.k8s.io/v1") and plural resource.</summary>
    public static ResourceType? FindByApiVersion(string apiVersion, string resource) =>
        All.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Resource == resource);

    public static ResourceType? FindByKind(string apiVersion, string kind) =>
        All.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);
}

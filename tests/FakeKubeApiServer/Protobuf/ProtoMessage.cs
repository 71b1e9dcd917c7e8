namespace FakeKubeApiServer.Protobuf;

/// <summary>
/// A message descriptor: field number to field, transcribed from the generated.proto files of
/// k8s.io/api and k8s.io/apimachinery for the kinds kubectl's typed commands send.
/// </summary>
internal sealed class ProtoMessage : Dictionary<int, ProtoField>
{
    public static readonly ProtoMessage OwnerReference = new()
    {
        [1] = new("kind", ProtoKind.String),
        [3] = new("name", ProtoKind.String),
        [4] = new("uid", ProtoKind.String),
        [5] = new("apiVersion", ProtoKind.String),
        [6] = new("controller", ProtoKind.Bool),
        [7] = new("blockOwnerDeletion", ProtoKind.Bool),
    };

    public static readonly ProtoMessage ObjectMeta = new()
    {
        [1] = new("name", ProtoKind.String),
        [2] = new("generateName", ProtoKind.String),
        [3] = new("namespace", ProtoKind.String),
        [5] = new("uid", ProtoKind.String),
        [6] = new("resourceVersion", ProtoKind.String),
        [7] = new("generation", ProtoKind.Int),
        [8] = new("creationTimestamp", ProtoKind.Time),
        [11] = new("labels", ProtoKind.MapStringString),
        [12] = new("annotations", ProtoKind.MapStringString),
        [13] = new("ownerReferences", ProtoKind.Message, OwnerReference, Repeated: true),
        [14] = new("finalizers", ProtoKind.String, Repeated: true),
    };

    public static readonly ProtoMessage LocalObjectReference = new() { [1] = new("name", ProtoKind.String) };

    public static readonly ProtoMessage ObjectReference = new()
    {
        [1] = new("kind", ProtoKind.String),
        [2] = new("namespace", ProtoKind.String),
        [3] = new("name", ProtoKind.String),
        [4] = new("uid", ProtoKind.String),
        [5] = new("apiVersion", ProtoKind.String),
        [6] = new("resourceVersion", ProtoKind.String),
        [7] = new("fieldPath", ProtoKind.String),
    };

    public static readonly ProtoMessage PolicyRule = new()
    {
        [1] = new("verbs", ProtoKind.String, Repeated: true),
        [2] = new("apiGroups", ProtoKind.String, Repeated: true),
        [3] = new("resources", ProtoKind.String, Repeated: true),
        [4] = new("resourceNames", ProtoKind.String, Repeated: true),
        [5] = new("nonResourceURLs", ProtoKind.String, Repeated: true),
    };

    public static readonly ProtoMessage Subject = new()
    {
        [1] = new("kind", ProtoKind.String),
        [2] = new("apiGroup", ProtoKind.String),
        [3] = new("name", ProtoKind.String),
        [4] = new("namespace", ProtoKind.String),
    };

    public static readonly ProtoMessage RoleRef = new()
    {
        [1] = new("apiGroup", ProtoKind.String),
        [2] = new("kind", ProtoKind.String),
        [3] = new("name", ProtoKind.String),
    };

    public static readonly ProtoMessage ResourceAttributes = new()
    {
        [1] = new("namespace", ProtoKind.String),
        [2] = new("verb", ProtoKind.String),
        [3] = new("group", ProtoKind.String),
        [4] = new("version", ProtoKind.String),
        [5] = new("resource", ProtoKind.String),
        [6] = new("subresource", ProtoKind.String),
        [7] = new("name", ProtoKind.String),
    };

    public static readonly ProtoMessage NonResourceAttributes = new()
    {
        [1] = new("path", ProtoKind.String),
        [2] = new("verb", ProtoKind.String),
    };

    /// <summary>Top-level kinds by "apiVersion/Kind".</summary>
    public static readonly Dictionary<string, ProtoMessage> Kinds = new(StringComparer.Ordinal)
    {
        ["v1/Namespace"] = new()
        {
            [1] = new("metadata", ProtoKind.Message, ObjectMeta),
            [2] = new("spec", ProtoKind.Message, new ProtoMessage { [1] = new("finalizers", ProtoKind.String, Repeated: true) }),
        },
        ["v1/Secret"] = new()
        {
            [1] = new("metadata", ProtoKind.Message, ObjectMeta),
            [2] = new("data", ProtoKind.MapStringBytes),
            [3] = new("type", ProtoKind.String),
            [4] = new("stringData", ProtoKind.MapStringString),
            [5] = new("immutable", ProtoKind.Bool),
        },
        ["v1/ConfigMap"] = new()
        {
            [1] = new("metadata", ProtoKind.Message, ObjectMeta),
            [2] = new("data", ProtoKind.MapStringString),
            [3] = new("binaryData", ProtoKind.MapStringBytes),
            [4] = new("immutable", ProtoKind.Bool),
        },
        ["v1/ServiceAccount"] = new()
        {
            [1] = new("metadata", ProtoKind.Message, ObjectMeta),
            [2] = new("secrets", ProtoKind.Message, ObjectReference, Repeated: true),
            [3] = new("imagePullSecrets", ProtoKind.Message, LocalObjectReference, Repeated: true),
            [4] = new("automountServiceAccountToken", ProtoKind.Bool),
        },
        ["authorization.k8s.io/v1/SelfSubjectAccessReview"] = new()
        {
            [1] = new("metadata", ProtoKind.Message, ObjectMeta),
            [2] = new("spec", ProtoKind.Message, new ProtoMessage
            {
                [1] = new("resourceAttributes", ProtoKind.Message, ResourceAttributes),
                [2] = new("nonResourceAttributes", ProtoKind.Message, NonResourceAttributes),
            }),
        },
        ["rbac.authorization.k8s.io/v1/Role"] = new()
        {
            [1] = new("metadata", ProtoKind.Message, ObjectMeta),
            [2] = new("rules", ProtoKind.Message, PolicyRule, Repeated: true),
        },
        ["rbac.authorization.k8s.io/v1/ClusterRole"] = new()
        {
            [1] = new("metadata", ProtoKind.Message, ObjectMeta),
            [2] = new("rules", ProtoKind.Message, PolicyRule, Repeated: true),
        },
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = new()
        {
            [1] = new("metadata", ProtoKind.Message, ObjectMeta),
            [2] = new("subjects", ProtoKind.Message, Subject, Repeated: true),
            [3] = new("roleRef", ProtoKind.Message, RoleRef),
        },
        ["rbac.authorization.k8s.io/v1/ClusterRoleBinding"] = new()
        {
            [1] = new("metadata", ProtoKind.Message, ObjectMeta),
            [2] = new("subjects", ProtoKind.Message, Subject, Repeated: true),
            [3] = new("roleRef", ProtoKind.Message, RoleRef),
        },
    };
}

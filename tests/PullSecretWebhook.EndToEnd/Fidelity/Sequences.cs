namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>A scripted request sequence, named as a sentence about what it shows. The script runs once against each
/// server with a <see cref="Probe"/> of its own.</summary>
internal sealed record Sequence(string Name, Func<Probe, Task> Script);

/// <summary>Every sequence the fidelity tests run. The ones first are what the product relies on (secrets and
/// namespaces list/watch, leases, events, webhook configurations, ServiceAccount patches, Pod pages), then the rest
/// of what both servers serve, then what only differs by version.</summary>
internal static partial class Sequences
{
    public const string Secrets = "/api/v1/namespaces/{ns}/secrets";
    public const string ConfigMaps = "/api/v1/namespaces/{ns}/configmaps";
    public const string ServiceAccounts = "/api/v1/namespaces/{ns}/serviceaccounts";
    public const string Pods = "/api/v1/namespaces/{ns}/pods";
    public const string CoreEvents = "/api/v1/namespaces/{ns}/events";
    public const string Events = "/apis/events.k8s.io/v1/namespaces/{ns}/events";
    public const string Leases = "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases";
    public const string Webhooks = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";
    public const string Roles = "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles";
    public const string RoleBindings = "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings";
    public const string ClusterRoles = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
    public const string Namespaces = "/api/v1/namespaces";

    /// <summary>How long a step waits for watch events that must come (both servers deliver in milliseconds).</summary>
    public static readonly TimeSpan WatchDeadline = TimeSpan.FromSeconds(10);

    public static IReadOnlyList<Sequence> All { get; } =
    [
        .. SecretSequences(),
        .. ListWatchSequences(),
        .. KindSequences(),
        .. VersionSequences(),
    ];

    public static Sequence Find(string name) => All.Single(s => s.Name == name);
}

using PullSecretWebhook.Kube.Models;

namespace PullSecretWebhook.Kube.Client;

/// <summary>The kinds the product reads or writes.</summary>
internal static class KubeResources
{
    public static KubeResource<Namespace> Namespaces { get; } =
        new(string.Empty, "v1", "Namespace", "namespaces", namespaced: false, KubeJsonContext.Default.Namespace, KubeJsonContext.Default.KubeListNamespace);

    public static KubeResource<Secret> Secrets { get; } =
        new(string.Empty, "v1", "Secret", "secrets", namespaced: true, KubeJsonContext.Default.Secret, KubeJsonContext.Default.KubeListSecret);

    public static KubeResource<ServiceAccount> ServiceAccounts { get; } =
        new(string.Empty, "v1", "ServiceAccount", "serviceaccounts", namespaced: true, KubeJsonContext.Default.ServiceAccount, KubeJsonContext.Default.KubeListServiceAccount);

    public static KubeResource<Pod> Pods { get; } =
        new(string.Empty, "v1", "Pod", "pods", namespaced: true, KubeJsonContext.Default.Pod, KubeJsonContext.Default.KubeListPod);

    public static KubeResource<Event> Events { get; } =
        new(string.Empty, "v1", "Event", "events", namespaced: true, KubeJsonContext.Default.Event, KubeJsonContext.Default.KubeListEvent);

    public static KubeResource<Lease> Leases { get; } =
        new("coordination.k8s.io", "v1", "Lease", "leases", namespaced: true, KubeJsonContext.Default.Lease, KubeJsonContext.Default.KubeListLease);

    public static KubeResource<MutatingWebhookConfiguration> MutatingWebhookConfigurations { get; } =
        new("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", namespaced: false, KubeJsonContext.Default.MutatingWebhookConfiguration, KubeJsonContext.Default.KubeListMutatingWebhookConfiguration);
}

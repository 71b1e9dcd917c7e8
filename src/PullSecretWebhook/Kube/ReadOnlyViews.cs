using k8s.Models;

namespace PullSecretWebhook.Kube;

/// <summary>KubernetesClient's models type labels, annotations and data as <see cref="IDictionary{TKey, TValue}"/>;
/// the project's rules read them as <see cref="IReadOnlyDictionary{TKey, TValue}"/>. What the package deserializes is a
/// <see cref="Dictionary{TKey, TValue}"/>, which is both, so these views cost nothing on that path.</summary>
internal static class ReadOnlyViews
{
    public static IReadOnlyDictionary<string, string>? LabelsView(this V1ObjectMeta? metadata) => View(metadata?.Labels);

    public static IReadOnlyDictionary<string, string>? AnnotationsView(this V1ObjectMeta? metadata) => View(metadata?.Annotations);

    public static IReadOnlyDictionary<string, byte[]>? DataView(this V1Secret secret) => View(secret?.Data);

    private static IReadOnlyDictionary<string, TValue>? View<TValue>(IDictionary<string, TValue>? dictionary) =>
        dictionary as IReadOnlyDictionary<string, TValue> ?? dictionary?.AsReadOnly();
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>metadata of a Kubernetes object (meta/v1 ObjectMeta).</summary>
/// <remarks><c>managedFields</c> are dropped as they are read, as controller-runtime's caches do
/// (<c>TransformStripManagedFields</c>): nothing here reads them, they are often larger than the rest of a Secret, and
/// every cached object would carry its own copy. An update that omits them leaves the server's record unchanged
/// (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management), so writing back an object
/// read here loses nothing.</remarks>
internal sealed class ObjectMeta : IJsonOnDeserialized
{
    public string? Name { get; set; }

    public string? GenerateName { get; set; }

    public string? Namespace { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    public long? Generation { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? CreationTimestamp { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? DeletionTimestamp { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<OwnerReference>? OwnerReferences { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (ExtensionData is { } extension && extension.Remove("managedFields") && extension.Count == 0)
        {
            ExtensionData = null;
        }
    }

    /// <summary>The metadata of a replacement (PUT) of this object: its identity, owners and unknown fields as read,
    /// with <paramref name="labels"/> and <paramref name="annotations"/>. A new object, never the cached one (shared
    /// with every reader); the resourceVersion read makes the update optimistic (409 if it changed since).</summary>
    public ObjectMeta ForReplace(Dictionary<string, string>? labels, Dictionary<string, string>? annotations) => new()
    {
        Name = Name,
        Namespace = Namespace,
        Uid = Uid,
        ResourceVersion = ResourceVersion,
        CreationTimestamp = CreationTimestamp,
        OwnerReferences = OwnerReferences,
        Labels = labels,
        Annotations = annotations,
        ExtensionData = ExtensionData,
    };
}

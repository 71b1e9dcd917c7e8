using System.Text.Json.Serialization.Metadata;
using PullSecretWebhook.Kube.Models;

namespace PullSecretWebhook.Kube.Client;

/// <summary>
/// Where a kind lives in the API (group, version, plural, scope) and how to (de)serialise it.
/// The instances we use are in <see cref="KubeResources"/>.
/// </summary>
internal sealed class KubeResource<T>(
    string group,
    string version,
    string kind,
    string plural,
    bool namespaced,
    JsonTypeInfo<T> typeInfo,
    JsonTypeInfo<KubeList<T>> listTypeInfo)
    where T : KubeObject
{
    public string Group { get; } = group;

    public string Version { get; } = version;

    public string Kind { get; } = kind;

    public string Plural { get; } = plural;

    public bool Namespaced { get; } = namespaced;

    public JsonTypeInfo<T> TypeInfo { get; } = typeInfo;

    public JsonTypeInfo<KubeList<T>> ListTypeInfo { get; } = listTypeInfo;

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection URL path; a namespaced kind without a namespace means "all namespaces" (list and watch only).</summary>
    public string CollectionPath(string? ns)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        if (!Namespaced)
        {
            if (!string.IsNullOrEmpty(ns))
            {
                throw new ArgumentException($"{Kind} is cluster-scoped; no namespace may be given (got '{ns}')", nameof(ns));
            }

            return $"{root}/{Plural}";
        }

        return string.IsNullOrEmpty(ns) ? $"{root}/{Plural}" : $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}";
    }

    public string ObjectPath(string name, string? ns)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{Kind} is namespaced; a namespace is required for '{name}'", nameof(ns));
        }

        return $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";
    }
}

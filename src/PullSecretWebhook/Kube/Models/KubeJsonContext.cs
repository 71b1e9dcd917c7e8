using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>
/// Source-generated serialisation for every Kubernetes type the product touches: camelCase like the
/// API, nulls left out when writing so a write never clears a field we did not set.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubeList<Namespace>))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(KubeList<Secret>))]
[JsonSerializable(typeof(ServiceAccount))]
[JsonSerializable(typeof(KubeList<ServiceAccount>))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(KubeList<Pod>))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(KubeList<Event>))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(KubeList<Lease>))]
[JsonSerializable(typeof(MutatingWebhookConfiguration))]
[JsonSerializable(typeof(KubeList<MutatingWebhookConfiguration>))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(DeleteOptions))]
[JsonSerializable(typeof(RawWatchEvent))]
[JsonSerializable(typeof(VersionInfo))]
internal sealed partial class KubeJsonContext : JsonSerializerContext
{
}

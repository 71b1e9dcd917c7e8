using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Kube;

/// <summary>
/// How KubernetesClient reads and writes objects for this process. MicroTime fields (a Lease's acquire and renew
/// times, an Event's eventTime) are always written with six fractional digits: the package writes a whole second as
/// <c>…:05Z</c>, which the API server refuses for a MicroTime (<c>parsing time … as "2006-01-02T15:04:05.000000Z07:00"</c>),
/// so a renewal that happens to fall on a whole microsecond-second would fail (KubeJsonTests shows both).
/// And <c>metadata.managedFields</c> is dropped as it is read, as
/// controller-runtime's caches do (<c>TransformStripManagedFields</c>). Nothing here reads it, it is often larger than
/// the rest of a Secret (about 1.1 KB per cached object), and an update that omits it leaves the server's record
/// unchanged (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management). The package's
/// serializer options are process-wide and freeze at their first use: <see cref="Transport.KubeApiClientFactory"/> calls
/// <see cref="Configure"/> before it builds the client, and every use of the package's JSON in the product goes through
/// a client (or comes after one exists). Not at assembly load: a server without a cluster then never loads the package.
/// </summary>
internal static class KubeJson
{
    // The package reads and writes its models with reflection-based System.Text.Json, and reflection is not this
    // process's default (the csproj), so its options get the reflection resolver explicitly here.
    private const string KeptModels = "KubernetesClient's model types are kept whole in the Native AOT build "
        + "(KubernetesClient.Aot.xml); the end-to-end tier runs on that build against a real API server.";

    private static readonly Lock Gate = new();
    private static bool _configured;

    /// <summary>Installs the settings once; later calls do nothing.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = KeptModels)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = KeptModels)]
    internal static void Configure()
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }

            KubernetesJson.AddJsonOptions(options =>
                options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(Modify));
            _configured = true;
        }
    }

    private static void Modify(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (info.Type == typeof(V1ObjectMeta) && property.Name == "managedFields")
            {
                // Without a setter the reader skips the value; writing still omits it, as it is then always null.
                property.Set = null;
            }
            else if (IsMicroTime(info.Type, property.Name))
            {
                property.CustomConverter = MicroTimeConverter.Instance;
            }
        }
    }

    private static bool IsMicroTime(Type type, string property) =>
        (type == typeof(V1LeaseSpec) && property is "acquireTime" or "renewTime")
        || (type == typeof(Corev1Event) && property == "eventTime");

    /// <summary>meta/v1 MicroTime: RFC 3339 with exactly six fractional digits, in UTC.</summary>
    private sealed class MicroTimeConverter : JsonConverter<DateTime?>
    {
        public static readonly MicroTimeConverter Instance = new();

        public override bool HandleNull => true;

        public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null
                ? null
                : DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
        {
            if (value is not { } time)
            {
                writer.WriteNullValue();
                return;
            }

            writer.WriteStringValue(time.ToUniversalTime().ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture));
        }
    }
}

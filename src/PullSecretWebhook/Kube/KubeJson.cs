using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Kube;

/// <summary>
/// How KubernetesClient reads objects for this process: <c>metadata.managedFields</c> is dropped as it is read, as
/// controller-runtime's caches do (<c>TransformStripManagedFields</c>). Nothing here reads it, it is often larger than
/// the rest of a Secret (about 1.1 KB per cached object), and an update that omits it leaves the server's record
/// unchanged (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management). The package's
/// serializer options are process-wide and freeze at their first use, so this runs when the assembly loads.
/// </summary>
internal static class KubeJson
{
    private static readonly Lock Gate = new();
    private static bool _configured;

#pragma warning disable CA2255 // An application, not a library: its JSON settings must be in place before any other code runs.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Configure()
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }

            KubernetesJson.AddJsonOptions(options =>
                options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(SkipManagedFields));
            _configured = true;
        }
    }

    private static void SkipManagedFields(JsonTypeInfo info)
    {
        if (info.Type != typeof(V1ObjectMeta))
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.Name == "managedFields")
            {
                // Without a setter the reader skips the value; writing still omits it, as it is then always null.
                property.Set = null;
            }
        }
    }
}

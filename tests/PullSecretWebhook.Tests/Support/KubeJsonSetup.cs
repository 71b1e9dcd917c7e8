using System.Runtime.CompilerServices;
using PullSecretWebhook.Kube;

namespace PullSecretWebhook.Tests.Support;

/// <summary>KubernetesClient's serializer settings are process-wide and freeze at first use; the product sets them when
/// its assembly loads. A test that uses the package before any product type would freeze them first, so the test
/// assembly sets them up front, as the product's own start does.</summary>
internal static class KubeJsonSetup
{
#pragma warning disable CA2255 // Test assembly start-up: the one place that runs before any test.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Configure() => KubeJson.Configure();
}

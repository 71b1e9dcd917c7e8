using System.Text;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Tests.Kube.Support;

internal static class TestObjects
{
    public static V1Secret Secret(string ns, string name, Dictionary<string, string>? labels = null, string value = "v") => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Type = "Opaque",
        Data = new Dictionary<string, byte[]> { ["key"] = Encoding.UTF8.GetBytes(value) },
    };

    public static async Task<V1Namespace> CreateNamespaceAsync(this IKubernetes client, string name, Dictionary<string, string>? labels = null) =>
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = name, Labels = labels } });

    public static Task<V1Secret> CreateSecretAsync(this IKubernetes client, V1Secret secret) =>
        client.CoreV1.CreateNamespacedSecretAsync(secret, secret.Metadata.NamespaceProperty);
}

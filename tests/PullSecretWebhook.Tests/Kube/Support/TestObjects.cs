using System.Text;
using PullSecretWebhook.Kube.Client;
using PullSecretWebhook.Kube.Models;

namespace PullSecretWebhook.Tests.Kube.Support;

internal static class TestObjects
{
    public static Secret Secret(string ns, string name, Dictionary<string, string>? labels = null, string value = "v") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels },
        Type = "Opaque",
        Data = new() { ["key"] = Encoding.UTF8.GetBytes(value) },
    };

    public static async Task<Namespace> CreateNamespaceAsync(this KubeClient client, string name, Dictionary<string, string>? labels = null) =>
        await client.CreateAsync(KubeResources.Namespaces, new Namespace { Metadata = new ObjectMeta { Name = name, Labels = labels } });
}

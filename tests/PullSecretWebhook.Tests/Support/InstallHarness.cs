using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Certificates;

namespace PullSecretWebhook.Tests.Support;

/// <summary>Helpers for the installation tests: servers in SelfManaged TLS mode with registration on, and the objects
/// they keep in the fake API server (the TLS Secret and the MutatingWebhookConfiguration).</summary>
internal static class InstallHarness
{
    public const string TlsSecret = "pullsecret-webhook-tls";
    public const string Configuration = "pullsecret-webhook";
    public const string WebhookName = "pullsecret-webhook.pullsecret-webhook.io";

    public static Dictionary<string, string?> SelfManaged(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tls:Mode"] = "SelfManaged",
            ["Tls:SecretPollInterval"] = "00:00:01",
            ["Registration:Enabled"] = "true",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    public static JsonObject? TlsSecretObject(this ReconcilerHarness cluster) =>
        cluster.Fake.Store.Get("v1", "secrets", ReconcilerHarness.SourceNamespace, TlsSecret);

    public static string? SecretValue(this ReconcilerHarness cluster, string key) =>
        (string?)cluster.TlsSecretObject()?["data"]?[key];

    public static JsonObject? WebhookConfiguration(this ReconcilerHarness cluster) =>
        cluster.Fake.Store.Get("admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations", null, Configuration);

    public static JsonObject? OurWebhook(this ReconcilerHarness cluster) =>
        cluster.WebhookConfiguration()?["webhooks"]?.AsArray().OfType<JsonObject>().SingleOrDefault(w => (string?)w["name"] == WebhookName);

    public static string? CaBundle(this ReconcilerHarness cluster) => (string?)cluster.OurWebhook()?["clientConfig"]?["caBundle"];

    /// <summary>The thumbprint of the certificate a server serves now (null before one is loaded).</summary>
    public static string? ServedThumbprint(this WebhookFactory server) =>
        server.Services.GetRequiredService<ServingCertificate>().Current?.Thumbprint;

    /// <summary>Writes <paramref name="material"/> into the TLS Secret, as another replica's renewal would.</summary>
    public static void PutTlsMaterial(this ReconcilerHarness cluster, TlsSecretMaterial material)
    {
        var data = new JsonObject();
        foreach (var (key, value) in material.ToData())
        {
            data[key] = Convert.ToBase64String(value);
        }

        var secret = cluster.TlsSecretObject() ?? new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = TlsSecret,
                ["namespace"] = ReconcilerHarness.SourceNamespace,
                ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "pullsecret-webhook" },
            },
            ["type"] = "kubernetes.io/tls",
        };
        secret["data"] = data;
        secret["metadata"]!.AsObject().Remove("resourceVersion");
        cluster.PutSecret(ReconcilerHarness.SourceNamespace, TlsSecret, secret);
    }

    public static IReadOnlyList<string> ServiceNames => CertificateIssuer.ServiceDnsNames("pullsecret-webhook", ReconcilerHarness.SourceNamespace);
}

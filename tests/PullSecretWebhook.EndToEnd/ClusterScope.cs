using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.ControlPlane;
using PullSecretWebhook.EndToEnd.Product;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd;

/// <summary>One test's share of the control plane: its own namespaces (deleted afterwards), its products (stopped
/// afterwards), and helpers for what the scenarios do again and again.</summary>
internal sealed class ClusterScope(KubeControlPlane plane, DeployInstall install, ITestOutputHelper output) : IAsyncDisposable
{
    public const string Target = "pullsecret-webhook";
    public const string ExportLabel = "pullsecret-webhook.io/export";
    public const string InjectLabel = "pullsecret-webhook.io/inject";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    private readonly List<string> _namespaces = [];
    private readonly List<ProductProcess> _products = [];

    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public KubeControlPlane Plane => plane;

    public DeployInstall Install => install;

    public KubeAdmin Admin => plane.Admin;

    public ITestOutputHelper Output => output;

    public async Task<string> CreateNamespaceAsync(string prefix, IReadOnlyDictionary<string, string>? labels = null)
    {
        var name = await Plane.CreateNamespaceAsync(prefix, labels);
        _namespaces.Add(name);
        return name;
    }

    /// <summary>The product listening on the Service's ClusterIP (the one the API server calls), as its ServiceAccount,
    /// with the self-managed TLS, registration and endpoint access of the default install, and
    /// <paramref name="sourceNamespace"/> as its only source namespace.</summary>
    public async Task<ProductProcess> StartProductAsync(string sourceNamespace, IReadOnlyDictionary<string, string>? settings = null, string podName = "pullsecret-webhook-0", Uri? url = null, string? kubeconfig = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Tls:Mode"] = "SelfManaged",
            ["Registration:Enabled"] = "true",
            ["Sources:Namespaces:0"] = sourceNamespace,

            // As in its pod, where this is the default (the process here runs on a kubeconfig, where it is not).
            ["Observability:Authorization"] = "Kubernetes",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var product = await ProductProcess.StartAsync(Plane, url ?? Install.WebhookUrl, all, podName, kubeconfig);
        _products.Add(product);
        return product;
    }

    /// <summary>Stops the products started so far (gracefully: the Lease is released for the next one).</summary>
    public async Task StopProductsAsync()
    {
        foreach (var product in _products)
        {
            await product.StopAsync();
        }
    }

    public async Task<JsonObject> PutSourceAsync(string ns, string name, string dockerConfigJson, IReadOnlyDictionary<string, string>? annotations = null, bool export = true)
    {
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = export ? new JsonObject { [ExportLabel] = "true" } : new JsonObject(),
                ["annotations"] = new JsonObject((annotations ?? new Dictionary<string, string>()).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
            },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(dockerConfigJson)) },
        };
        var path = $"/api/v1/namespaces/{ns}/secrets/{name}";
        var existing = await Admin.GetAsync(path);
        if (existing is null)
        {
            return await Admin.CreateAsync($"/api/v1/namespaces/{ns}/secrets", secret);
        }

        secret["metadata"]!["resourceVersion"] = existing["metadata"]!["resourceVersion"]!.DeepClone();
        return await Admin.UpdateAsync(path, secret);
    }

    public Task<JsonObject?> GetSecretAsync(string ns, string name = Target) => Admin.GetAsync($"/api/v1/namespaces/{ns}/secrets/{name}");

    /// <summary>The registry keys of the target Secret in <paramref name="ns"/>, sorted; null when there is none.</summary>
    public async Task<IReadOnlyList<string>?> TargetRegistriesAsync(string ns)
    {
        var secret = await GetSecretAsync(ns);
        if (secret?["data"]?[".dockerconfigjson"] is not { } data)
        {
            return null;
        }

        var config = JsonNode.Parse(Convert.FromBase64String((string)data!))!;
        return [.. config["auths"]!.AsObject().Select(a => a.Key).Order(StringComparer.Ordinal)];
    }

    public async Task WaitForRegistriesAsync(string ns, params string[] registries) =>
        await Eventually.WaitUntilAsync(
            async () => (await TargetRegistriesAsync(ns))?.SequenceEqual(registries.Order(StringComparer.Ordinal)) == true,
            $"the target in {ns} holds exactly {string.Join(", ", registries)}", diagnostics: Diagnostics);

    public async Task WaitForNoTargetAsync(string ns) =>
        await Eventually.WaitUntilAsync(async () => await GetSecretAsync(ns) is null, $"{ns} has no target Secret", diagnostics: Diagnostics);

    /// <summary>Events (core v1) about <paramref name="name"/> in <paramref name="ns"/>, as "Type Reason: message".</summary>
    public async Task<IReadOnlyList<string>> EventsAboutAsync(string ns, string name) =>
        [.. (await Admin.ListAsync($"/api/v1/namespaces/{ns}/events"))
            .Where(e => (string?)e["involvedObject"]?["name"] == name)
            .Select(e => $"{e["type"]} {e["reason"]}: {e["message"]}")];

    public static string DockerConfig(params (string Registry, string User, string Password)[] entries)
    {
        var auths = new JsonObject();
        foreach (var (registry, user, password) in entries)
        {
            auths[registry] = new JsonObject
            {
                ["username"] = user,
                ["password"] = password,
                ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")),
            };
        }

        return new JsonObject { ["auths"] = auths }.ToJsonString();
    }

    public static JsonObject Pod(string name, IReadOnlyDictionary<string, string>? labels = null, params string[] pullSecrets)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example.com/team/app:1" }) };
        if (pullSecrets.Length > 0)
        {
            spec["imagePullSecrets"] = new JsonArray([.. pullSecrets.Select(s => (JsonNode)new JsonObject { ["name"] = s })]);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = new JsonObject((labels ?? new Dictionary<string, string>()).Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            },
            ["spec"] = spec,
        };
    }

    public static IReadOnlyList<string> PullSecretNames(JsonObject pod) =>
        pod["spec"]?["imagePullSecrets"] is JsonArray refs ? [.. refs.Select(r => (string)r!["name"]!)] : [];

    public string Diagnostics() => string.Join('\n', _products.Select(p => p.Process.Tail(30)));

    /// <summary>Requests of the product's identity since this scope began (the audit log's view).</summary>
    public IReadOnlyList<AuditRecord> AuditSinceStart() => [.. Plane.Audit.Read().Where(r => r.Received >= _started)];

    /// <summary>Stops the products, deletes the namespaces, and fails the test if the product's identity was refused
    /// anything (403) while the API server was up: the RBAC of <c>deploy/</c> must be enough for everything the test
    /// made it do.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var product in _products)
        {
            await product.DisposeAsync();
        }

        foreach (var ns in _namespaces)
        {
            await Admin.DeleteAsync($"/api/v1/namespaces/{ns}");
        }

        var forbidden = AuditSinceStart().Where(r => r.Code == 403 && !Plane.InDownWindow(r.Received)).ToList();
        Assert.True(forbidden.Count == 0, "the product was refused (403):\n" + string.Join('\n', forbidden));
    }
}

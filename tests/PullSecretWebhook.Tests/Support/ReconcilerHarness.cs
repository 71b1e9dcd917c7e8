using System.Text;
using System.Text.Json.Nodes;
using FakeKubeApiServer;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Tests.Kube.Support;

namespace PullSecretWebhook.Tests.Support;

/// <summary>A fake API server over HTTPS and webhook servers connected to it through a kubeconfig, with helpers to
/// seed and read objects directly in the fake's store (so the request log shows only the servers' own calls).</summary>
internal sealed class ReconcilerHarness : IAsyncDisposable
{
    public const string SourceNamespace = "psw-system";
    public const string Target = "pullsecret-webhook";
    private readonly List<WebhookFactory> _servers = [];
    private readonly TempDirectory _directory = new();

    private ReconcilerHarness(FakeApiServer fake) => Fake = fake;

    public FakeApiServer Fake { get; }

    /// <summary>The harness's own folder (the servers' kubeconfigs), deleted at disposal.</summary>
    public string ScratchPath => _directory.Path;

    public static async Task<ReconcilerHarness> StartAsync(FakeApiServerOptions? options = null)
    {
        var harness = new ReconcilerHarness(await FakeApiServer.StartAsync(options ?? new FakeApiServerOptions()));
        harness.CreateNamespace(SourceNamespace);
        return harness;
    }

    /// <summary>Starts a server (a replica) connected to the fake; <paramref name="token"/> picks its identity there.</summary>
    public WebhookFactory StartServer(Dictionary<string, string?>? settings = null, string? token = null, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var factory = StartServerLazily(settings, token, time, services);
        _ = factory.Server; // start the host (and its reconciler) now
        return factory;
    }

    /// <summary>A server connected to the fake, started at its first use (for tests of start-up failures).</summary>
    public WebhookFactory StartServerLazily(Dictionary<string, string?>? settings = null, string? token = null, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var kubeconfig = Fake.WriteKubeconfig(Path.Combine(_directory.Path, $"kubeconfig-{Guid.NewGuid():N}"), token);
        var all = new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = kubeconfig,
            ["POD_NAMESPACE"] = SourceNamespace,
            ["Kube:Qps"] = "1000",
            ["Kube:Burst"] = "1000",
            ["Reconciler:RetryBaseDelay"] = "00:00:00.05",
            ["Reconciler:RetryMaxDelay"] = "00:00:01",
            ["LeaderElection:LeaseDuration"] = "00:00:03",
            ["LeaderElection:RenewDeadline"] = "00:00:02",
            ["LeaderElection:RetryPeriod"] = "00:00:00.2",
            // The fake serves no TokenReview: tests that read /status or /metrics are not about who may (that is
            // EndpointAccess/, which sets Kubernetes and stubs the reviews).
            ["Observability:Authorization"] = "None",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var factory = new WebhookFactory(all, services: s =>
        {
            if (time is not null)
            {
                s.AddSingleton(time);
            }

            services?.Invoke(s);
        });
        _servers.Add(factory);
        return factory;
    }

    public JsonObject CreateNamespace(string name, Dictionary<string, string>? labels = null) =>
        Fake.Store.Create("v1", "namespaces", null, new JsonObject { ["metadata"] = Meta(name, null, labels) });

    public JsonObject LabelNamespace(string name, Dictionary<string, string> labels)
    {
        var ns = Fake.Store.Get("v1", "namespaces", null, name)!;
        ns["metadata"]!["labels"] = Labels(labels);
        ns["metadata"]!.AsObject().Remove("resourceVersion");
        return Fake.Store.Update("v1", "namespaces", null, ns);
    }

    /// <summary>Creates or replaces a source (exported) credential Secret.</summary>
    public JsonObject PutSource(string name, string dockerConfigJson, string ns = SourceNamespace, Dictionary<string, string>? annotations = null, string type = "kubernetes.io/dockerconfigjson", string key = ".dockerconfigjson")
    {
        var secret = new JsonObject
        {
            ["metadata"] = Meta(name, ns, new() { ["pullsecret-webhook.io/export"] = "true" }, annotations),
            ["type"] = type,
            ["data"] = new JsonObject { [key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(dockerConfigJson)) },
        };
        return Fake.Store.Get("v1", "secrets", ns, name) is null
            ? Fake.Store.Create("v1", "secrets", ns, secret, validate: false)
            : Fake.Store.Update("v1", "secrets", ns, secret, validate: false);
    }

    /// <summary>A dockerconfigjson Secret without the export label (exported only when the settings name it,
    /// <c>Sources:Secrets</c>).</summary>
    public JsonObject PutUnlabelledSource(string ns, string name, (string Registry, string User, string Password)[] entries, Dictionary<string, string>? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (annotations is not null)
        {
            metadata["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        }

        return PutSecret(ns, name, new JsonObject
        {
            ["metadata"] = metadata,
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(DockerConfig(entries))) },
        });
    }

    public JsonObject PutSecret(string ns, string name, JsonObject secret)
    {
        secret["metadata"] ??= Meta(name, ns);
        return Fake.Store.Get("v1", "secrets", ns, name) is null
            ? Fake.Store.Create("v1", "secrets", ns, secret, validate: false)
            : Fake.Store.Update("v1", "secrets", ns, secret, validate: false);
    }

    public JsonObject? GetSecret(string ns, string name = Target) => Fake.Store.Get("v1", "secrets", ns, name);

    /// <summary>The decoded <c>.dockerconfigjson</c> of a namespace's target, or null when absent.</summary>
    public JsonObject? TargetConfig(string ns)
    {
        var data = GetSecret(ns)?["data"]?[".dockerconfigjson"];
        return data is null ? null : JsonNode.Parse(Convert.FromBase64String((string)data!))!.AsObject();
    }

    /// <summary>The registry keys of a namespace's target, sorted; empty when absent.</summary>
    public IReadOnlyList<string> TargetRegistries(string ns) =>
        TargetConfig(ns)?["auths"]?.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList() ?? [];

    public async Task WaitForRegistriesAsync(string ns, params string[] registries) =>
        await Eventually.WaitUntilAsync(() => TargetRegistries(ns).SequenceEqual(registries.Order(StringComparer.Ordinal)), $"{ns} has exactly [{string.Join(",", registries)}]", TimeSpan.FromSeconds(20));

    public async Task WaitForNoTargetAsync(string ns) =>
        await Eventually.WaitUntilAsync(() => GetSecret(ns) is null, $"{ns} has no target", TimeSpan.FromSeconds(20));

    public static string DockerConfig(params (string Registry, string User, string Password)[] entries)
    {
        var auths = new JsonObject();
        foreach (var (registry, user, password) in entries)
        {
            auths[registry] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) };
        }

        return new JsonObject { ["auths"] = auths }.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await Fake.DisposeAsync();
        _directory.Dispose();
    }

    private static JsonObject Meta(string name, string? ns, Dictionary<string, string>? labels = null, Dictionary<string, string>? annotations = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            meta["namespace"] = ns;
        }

        if (labels is not null)
        {
            meta["labels"] = Labels(labels);
        }

        if (annotations is not null)
        {
            meta["annotations"] = Labels(annotations);
        }

        return meta;
    }

    private static JsonObject Labels(Dictionary<string, string> values)
    {
        var result = new JsonObject();
        foreach (var (key, value) in values)
        {
            result[key] = value;
        }

        return result;
    }
}

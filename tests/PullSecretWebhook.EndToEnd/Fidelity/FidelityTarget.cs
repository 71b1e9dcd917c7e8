using System.Text.Json.Nodes;
using FakeKubeApiServer;
using PullSecretWebhook.EndToEnd.ControlPlane;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>One API server a sequence runs against: the real control plane (in a fresh namespace of its own) or an
/// in-process <see cref="FakeApiServer"/> (fresh, with a namespace of the same name). Both are driven through the same
/// <see cref="KubeAdmin"/> client, so the requests are byte for byte the same.</summary>
internal sealed class FidelityTarget : IAsyncDisposable
{
    /// <summary>Namespaces of a sequence carry this label: list/watch selectors on namespaces use it, and the product's
    /// webhook (if a test left one registered) skips Pods in them.</summary>
    public const string RunLabel = "fidelity.pullsecret-webhook.io/run";

    private readonly Func<Task> _expireHistory;
    private readonly Func<ValueTask> _dispose;
    private readonly List<string> _cleanups = [];

    private FidelityTarget(string name, KubeAdmin client, string ns, Func<Task> expireHistory, Func<ValueTask> dispose)
    {
        Name = name;
        Client = client;
        Namespace = ns;
        _expireHistory = expireHistory;
        _dispose = dispose;
    }

    /// <summary>"real" or "fake": how the sequence's record names its side.</summary>
    public string Name { get; }

    public KubeAdmin Client { get; }

    /// <summary>The sequence's namespace (exists, with its <c>default</c> ServiceAccount).</summary>
    public string Namespace { get; }

    /// <summary>The sequence's namespace; its name is also the run label's value, which records show as {ns}.</summary>
    public static JsonObject NamespaceObject(string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["name"] = ns,
            ["labels"] = new JsonObject { [RunLabel] = ns, ["pullsecret-webhook.io/inject"] = "false" },
        },
    };

    /// <summary>The control plane, with the namespace <paramref name="ns"/> made and waited for as
    /// <see cref="KubeControlPlane.CreateNamespaceAsync"/> does: its <c>default</c> ServiceAccount has its token, so
    /// Pods can be created.</summary>
    public static async Task<FidelityTarget> RealAsync(KubeControlPlane plane, string ns)
    {
        await plane.Admin.CreateAsync("/api/v1/namespaces", NamespaceObject(ns));
        await Eventually.WaitUntilAsync(
            async () => (await plane.Admin.GetAsync($"/api/v1/namespaces/{ns}/serviceaccounts/default"))?["secrets"]?.AsArray().Count > 0,
            $"namespace {ns} has its default ServiceAccount and token");
        return new FidelityTarget("real", plane.Admin, ns, async () => await plane.CompactEtcdAsync(), () => ValueTask.CompletedTask);
    }

    /// <summary>A fresh fake with a namespace named <paramref name="ns"/> (created through the API, as on the real
    /// server). Bookmarks every second, so that a watch of a few seconds sees them.</summary>
    public static async Task<FidelityTarget> FakeAsync(string ns)
    {
        var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1) });
        var client = new KubeAdmin(server.BaseAddress, server.CaPem, server.Token);
        await client.CreateAsync("/api/v1/namespaces", NamespaceObject(ns));
        return new FidelityTarget("fake", client, ns, () =>
        {
            server.ForgetHistory();
            return Task.CompletedTask;
        }, async () =>
        {
            client.Dispose();
            await server.DisposeAsync();
        });
    }

    /// <summary>Makes every resourceVersion handed out so far too old: etcd compacted on the real server, the
    /// history forgotten on the fake.</summary>
    public Task ExpireHistoryAsync() => _expireHistory();

    /// <summary>A cluster-scoped object the sequence made, deleted afterwards (the namespace takes the rest).</summary>
    public void DeleteAfterwards(string path) => _cleanups.Add(path);

    public async ValueTask DisposeAsync()
    {
        foreach (var path in _cleanups.Append($"/api/v1/namespaces/{Namespace}"))
        {
            await Client.SendAsync(HttpMethod.Delete, path);
        }

        await _dispose();
    }
}

using FakeKubeApiServer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Config;
using PullSecretWebhook.Kube.Transport;
using k8s;

namespace PullSecretWebhook.Tests.Kube.Support;

/// <summary>A fake API server over HTTPS on loopback plus a client configured from the kubeconfig it writes.</summary>
internal sealed class KubeTestCluster : IAsyncDisposable
{
    private readonly List<Kubernetes> _clients = [];

    private KubeTestCluster(FakeApiServer server)
    {
        Server = server;
    }

    public FakeApiServer Server { get; }

    public TempDirectory Directory { get; } = new();

    /// <summary>Fast retries and no practical rate limit, unless a test says otherwise.</summary>
    public static KubeOptions FastOptions() => new()
    {
        Qps = 10_000,
        Burst = 10_000,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
    };

    public static async Task<KubeTestCluster> StartAsync(FakeApiServerOptions? options = null) =>
        new(await FakeApiServer.StartAsync(options ?? new FakeApiServerOptions()));

    public string WriteKubeconfig(string? token = null) =>
        Server.WriteKubeconfig(System.IO.Path.Combine(Directory.Path, $"kubeconfig-{Guid.NewGuid():N}"), token);

    /// <summary>The product's client (KubernetesClient with the product's handlers), as the server builds it.</summary>
    public Kubernetes CreateClient(KubeOptions? options = null, TimeProvider? timeProvider = null, string? kubeconfigPath = null, ILogger? logger = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        var config = Load(kubeconfigPath ?? WriteKubeconfig(), time);
        return Track(KubeApiClientFactory.Create(config, options ?? FastOptions(), time, logger ?? NullLogger.Instance));
    }

    public Kubernetes Track(Kubernetes client)
    {
        _clients.Add(client);
        return client;
    }

    public static KubeClusterConfig Load(string kubeconfigPath, TimeProvider time)
    {
        var state = new KubeConfigLoader(new KubeEnvironment(_ => null, null), time).Load(kubeconfigPath, null);
        Assert.True(state.IsConnected, state.Description);
        return state.Config;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
        Directory.Dispose();
    }
}

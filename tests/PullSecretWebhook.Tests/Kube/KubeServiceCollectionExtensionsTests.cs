using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Leader;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Tests.Kube.Support;
using k8s;

namespace PullSecretWebhook.Tests.Kube;

public sealed class KubeServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ServiceProvider Build(Dictionary<string, string?> settings, Dictionary<string, string>? env = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new KubeEnvironment(n => env?.GetValueOrDefault(n), _dir.Path, Path.Combine(_dir.Path, "sa")));
        services.AddKube(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddKube_NoClusterConfiguration_RegistersNotConnectedWithReason()
    {
        using var services = Build([]);

        var state = services.GetRequiredService<KubeConnectionState>();

        Assert.False(state.IsConnected);
        Assert.Contains("not running in a cluster", state.Description, StringComparison.Ordinal);
        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IKubernetes>());
        Assert.Contains("no Kubernetes cluster is configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddKube_KubeconfigSetting_ConnectsAndResolvesEverything()
    {
        var path = _dir.Write("config", """
            clusters:
            - name: c
              cluster:
                server: https://api.example:6443
            contexts:
            - name: c
              context:
                cluster: c
                namespace: from-context
            current-context: c
            """);
        using var services = Build(new() { ["Kube:Kubeconfig"] = path, ["Kube:Qps"] = "7", ["LeaderElection:LeaseName"] = "custom" }, new() { ["POD_NAMESPACE"] = "psw-system" });

        Assert.True(services.GetRequiredService<KubeConnectionState>().IsConnected);
        Assert.Equal(7, services.GetRequiredService<IOptions<KubeOptions>>().Value.Qps);
        Assert.Equal("https://api.example:6443/", ((Kubernetes)services.GetRequiredService<IKubernetes>()).BaseUri.ToString());
        Assert.NotNull(services.GetRequiredService<KubeInformerFactory>());
        var elector = services.GetRequiredService<LeaderElector>();
        Assert.False(elector.IsLeader);
        Assert.Equal("custom", services.GetRequiredService<IOptions<LeaderElectionOptions>>().Value.LeaseName);
        Assert.Equal("psw-system", services.GetRequiredService<KubeEnvironment>().OwnNamespace);
    }

    [Theory]
    [InlineData("Kube:Qps", "0", "Kube:Qps must be > 0")]
    [InlineData("Kube:Burst", "-1", "Kube:Burst must be >= 1")]
    [InlineData("Kube:Timeout", "00:00:00", "Kube:Timeout must be > 0")]
    [InlineData("Kube:WatchTimeout", "00:00:00.5", "Kube:WatchTimeout must be between")]
    [InlineData("Kube:WatchTimeout", "02:00:00", "Kube:WatchTimeout must be between")]
    public void AddKube_BadSetting_FailsNamingIt(string key, string value, string expected)
    {
        using var services = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<KubeOptions>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddKube_BadLeaderElectionSetting_FailsNamingIt()
    {
        using var services = Build(new() { ["LeaderElection:LeaseDuration"] = "00:00:05" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LeaderElectionOptions>>().Value);

        Assert.Contains("LeaderElection:LeaseDuration must be > LeaderElection:RenewDeadline", error.Message, StringComparison.Ordinal);
    }
}

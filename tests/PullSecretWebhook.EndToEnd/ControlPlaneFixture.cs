using PullSecretWebhook.EndToEnd.ControlPlane;
using PullSecretWebhook.EndToEnd.Product;

namespace PullSecretWebhook.EndToEnd;

/// <summary>One control plane for the whole end-to-end run (envtest-style), with <c>deploy/overlays/self-managed</c>
/// applied as an operator would. Tests share it one at a time (a single collection): the product is cluster-wide, so
/// two products at once would reconcile each other's namespaces. Each test gets its own namespaces through
/// <see cref="ClusterScope"/>.</summary>
public sealed class ControlPlaneFixture : IAsyncLifetime
{
    private KubeControlPlane? _plane;
    private DeployInstall? _install;

    internal KubeControlPlane Plane => _plane ?? throw new InvalidOperationException("the control plane did not start");

    internal DeployInstall Install => _install ?? throw new InvalidOperationException("deploy/ was not applied");

    internal ClusterScope NewScope(ITestOutputHelper output) => new(Plane, Install, output);

    public async Task InitializeAsync()
    {
        await ShippedBuild.EnsureAsync();
        _plane = await KubeControlPlane.StartAsync();
        _install = await DeployInstall.ApplyAsync(_plane, "deploy/overlays/self-managed");
    }

    public async Task DisposeAsync()
    {
        if (_plane is not null)
        {
            await _plane.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedControlPlane : ICollectionFixture<ControlPlaneFixture>
{
    public const string Name = "control plane";
}

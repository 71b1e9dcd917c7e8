namespace PullSecretWebhook.EndToEnd;

[Collection(SharedControlPlane.Name)]
public sealed class SmokeTests(ControlPlaneFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Pod_CreatedThroughTheApiServer_GetsTheReference()
    {
        await using var scope = fixture.NewScope(output);
        var sources = await scope.CreateNamespaceAsync("src");
        var team = await scope.CreateNamespaceAsync("team");
        await scope.PutSourceAsync(sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "pw")));
        await scope.StartProductAsync(sources);
        await scope.WaitForRegistriesAsync(team, "harbor.example.com");

        var pod = await scope.Admin.CreateAsync($"/api/v1/namespaces/{team}/pods", ClusterScope.Pod("app"));

        Assert.Equal(["pullsecret-webhook"], ClusterScope.PullSecretNames(pod));
    }
}

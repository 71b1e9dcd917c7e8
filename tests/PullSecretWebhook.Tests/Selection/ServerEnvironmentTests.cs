using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.Tests.Selection;

public sealed class ServerEnvironmentTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("psw-sa-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Detect_WithNothing_UsesDefaultNamespaceAndIsNotInCluster()
    {
        var environment = ServerEnvironment.Detect(_ => null, _directory);

        Assert.Equal("default", environment.OwnNamespace);
        Assert.False(environment.InCluster);
    }

    [Fact]
    public void Detect_NamespaceFile_IsUsedWhenPodNamespaceUnset()
    {
        File.WriteAllText(Path.Combine(_directory, "namespace"), "platform\n");
        File.WriteAllText(Path.Combine(_directory, "token"), "t");

        var environment = ServerEnvironment.Detect(name => name == "KUBERNETES_SERVICE_HOST" ? "10.0.0.1" : null, _directory);

        Assert.Equal("platform", environment.OwnNamespace);
        Assert.True(environment.InCluster);
    }

    [Fact]
    public void Detect_PodNamespace_WinsOverNamespaceFile()
    {
        File.WriteAllText(Path.Combine(_directory, "namespace"), "platform");

        var environment = ServerEnvironment.Detect(name => name == "POD_NAMESPACE" ? "webhooks" : null, _directory);

        Assert.Equal("webhooks", environment.OwnNamespace);
    }
}

using PullSecretWebhook.Kube;

namespace PullSecretWebhook.Tests.Selection;

/// <summary>The server's own namespace (README, "Labels and annotations"), which is always excluded.</summary>
public sealed class OwnNamespaceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("psw-sa-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void OwnNamespace_WithNothing_IsDefault() =>
        Assert.Equal("default", new KubeEnvironment(_ => null, null, _directory).OwnNamespace);

    [Fact]
    public void OwnNamespace_NamespaceFile_IsUsedWhenPodNamespaceUnset()
    {
        File.WriteAllText(Path.Combine(_directory, "namespace"), "platform\n");

        Assert.Equal("platform", new KubeEnvironment(_ => null, null, _directory).OwnNamespace);
    }

    [Fact]
    public void OwnNamespace_PodNamespace_WinsOverNamespaceFile()
    {
        File.WriteAllText(Path.Combine(_directory, "namespace"), "platform");

        Assert.Equal("webhooks", new KubeEnvironment(n => n == "POD_NAMESPACE" ? "webhooks" : null, null, _directory).OwnNamespace);
    }
}

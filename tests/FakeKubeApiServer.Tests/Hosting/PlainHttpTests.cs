using System.Net;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Hosting;

public sealed class PlainHttpTests : FakeServerTest
{
    protected override FakeApiServerOptions Configure(FakeApiServerOptions options)
    {
        options.UseHttps = false;
        return options;
    }

    [Fact]
    public async Task UseHttpsFalse_ServesPlainHttp_AndKubeconfigHasNoCa()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        try
        {
            Server.WriteKubeconfig(path, contextName: "plain");
            var kubeconfig = await File.ReadAllTextAsync(path);
            var response = await Client.GetJsonAsync("/api/v1/namespaces");

            Assert.Equal("http", Server.BaseAddress.Scheme);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.DoesNotContain("certificate-authority-data", kubeconfig, StringComparison.Ordinal);
            Assert.Contains("current-context: plain", kubeconfig, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WriteServiceAccountFiles_WritesTokenAndNamespace()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"sa-{Guid.NewGuid():N}");
        try
        {
            Server.WriteServiceAccountFiles(directory, "sa-token", "team-a");

            Assert.Equal("sa-token", File.ReadAllText(Path.Combine(directory, "token")));
            Assert.Equal("team-a", File.ReadAllText(Path.Combine(directory, "namespace")));
            Assert.False(File.Exists(Path.Combine(directory, "ca.crt")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

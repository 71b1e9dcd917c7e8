using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Tests.Kubectl;

/// <summary>A fresh fake per test, a kubeconfig for it in a temp directory, and kubectl pointed at it.</summary>
public abstract class KubectlTest : IAsyncLifetime
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("kubectl-fidelity-").FullName;
    private FakeApiServer? _server;

    internal FakeApiServer Server => _server ?? throw new InvalidOperationException("not started");

    internal KubectlRunner Kubectl { get; private set; } = null!;

    internal string Directory => _directory;

    public async Task InitializeAsync()
    {
        // Resolve first: without kubectl every test here fails with the install hint.
        _ = KubectlRunner.Executable;
        _server = await FakeApiServer.StartAsync(Configure(new FakeApiServerOptions()));
        var kubeconfig = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), token: Token);
        Kubectl = new KubectlRunner(kubeconfig, Path.Combine(_directory, "cache"));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        System.IO.Directory.Delete(_directory, recursive: true);
    }

    protected virtual string? Token => null;

    protected virtual FakeApiServerOptions Configure(FakeApiServerOptions options) => options;

    internal async Task<JsonObject> GetJsonAsync(params string[] args)
    {
        var result = (await Kubectl.RunAsync([.. args, "-o", "json"])).EnsureSuccess();
        return JsonNode.Parse(result.Stdout)!.AsObject();
    }

    internal string WriteManifest(string name, string yaml)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, yaml);
        return path;
    }
}

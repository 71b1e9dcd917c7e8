namespace FakeKubeApiServer.Tests.Support;

/// <summary>A fresh fake per test, with an admin HttpClient over HTTPS; disposed after the test.</summary>
public abstract class FakeServerTest : IAsyncLifetime
{
    private FakeApiServer? _server;
    private HttpClient? _client;

    internal FakeApiServer Server => _server ?? throw new InvalidOperationException("not started");

    internal HttpClient Client => _client ?? throw new InvalidOperationException("not started");

    public virtual async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync(Configure(new FakeApiServerOptions()));
        _client = _server.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    protected virtual FakeApiServerOptions Configure(FakeApiServerOptions options) => options;

    /// <summary>Creates a namespace through the API and returns its name.</summary>
    internal async Task<string> CreateNamespaceAsync(string name)
    {
        var response = await Client.PostJsonAsync("/api/v1/namespaces", KubeHttp.Namespace(name));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.Status);
        return name;
    }
}

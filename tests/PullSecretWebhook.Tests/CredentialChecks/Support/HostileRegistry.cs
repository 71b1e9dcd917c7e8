using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PullSecretWebhook.Tests.CredentialChecks.Support;

/// <summary>A "registry" that misbehaves in one chosen way, for faults a real registry will not produce on demand.
/// Counts the requests that carried an Authorization header (a credential must never reach a host it was not meant for).</summary>
internal sealed class HostileRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _authorized;

    private HostileRegistry(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public int AuthorizedRequests => Volatile.Read(ref _authorized);

    /// <summary><paramref name="handle"/> answers every request; the path and the server's own host are passed in.</summary>
    public static async Task<HostileRegistry> StartAsync(RegistryPki pki, Func<HttpContext, string, Task> handle, bool plainHttp = false)
    {
        HostileRegistry? registry = null;
        var (app, port) = await LoopbackHttps.StartAsync(plainHttp ? null : pki.Serving, app => app.Run(context =>
        {
            if (context.Request.Headers.Authorization.Count > 0)
            {
                Interlocked.Increment(ref registry!._authorized);
            }

            return handle(context, registry!.Host);
        }));
        registry = new HostileRegistry(app, port);
        return registry;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

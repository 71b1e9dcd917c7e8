using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using FakeKubeApiServer.Admin;
using FakeKubeApiServer.Auth;
using FakeKubeApiServer.Certificates;
using FakeKubeApiServer.Discovery;
using FakeKubeApiServer.Hosting;
using FakeKubeApiServer.Http;

namespace FakeKubeApiServer;

/// <summary>
/// A fake Kubernetes API server on a loopback port, faithful enough that kubectl works against
/// it: discovery, CRUD, selectors, pagination, watch with bookmarks and 410, the three patch
/// types, authentication and RBAC. State (objects, resourceVersion) survives <see cref="RestartAsync"/>.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly FakeApiServerOptions _options;
    private readonly CertificateAuthority _ca = new();
    private readonly ApiPipeline _pipeline;
    private readonly AdminEndpoints _admin;
    private readonly SemaphoreSlim _hostGate = new(1, 1);
    private WebApplication? _app;
    private int _port;
    private Task _pendingRestart = Task.CompletedTask;
    private int _restarts;

    private FakeApiServer(FakeApiServerOptions options, ServerVersion version)
    {
        _options = options;
        var time = TimeProvider.System;
        Store = new ObjectStore(options.HistorySize, version, time);
        if (options.RbacYamlFiles.Count > 0)
        {
            RbacManifestLoader.Load(Store, options.RbacYamlFiles);
        }

        var authenticator = new Authenticator(options.Token, new Dictionary<string, string>(options.Tokens, StringComparer.Ordinal));
        var authorizer = new RbacAuthorizer(Store, enforce: options.RbacYamlFiles.Count > 0);
        var resources = new ResourceHandler(Store, new WatchStreamer(Store, options.BookmarkInterval), time);
        _pipeline = new ApiPipeline(authenticator, authorizer, Faults, Requests, resources, () => $"127.0.0.1:{_port}", version, time);
        _admin = new AdminEndpoints(this, options.Token);
    }

    /// <summary>e.g. https://127.0.0.1:PORT</summary>
    public Uri BaseAddress => new($"{(_options.UseHttps ? "https" : "http")}://127.0.0.1:{_port}");

    /// <summary>The CA that signed the serving certificate and client certificates (public part).</summary>
    public X509Certificate2 CaCertificate => _ca.Certificate;

    public string CaPem => _ca.CaPem;

    /// <summary>The admin bearer token (system:masters).</summary>
    public string Token => _options.Token;

    public FaultInjector Faults { get; } = new();

    public RequestLog Requests { get; } = new();

    public ObjectStore Store { get; }

    public static async Task<FakeApiServer> StartAsync(FakeApiServerOptions? options = null, CancellationToken ct = default)
    {
        options ??= new FakeApiServerOptions();
        var server = new FakeApiServer(options, ServerVersion.Parse(options.ServerVersion));
        server._port = server._options.Port;
        await server.StartHostAsync(ct);
        return server;
    }

    /// <summary>Writes a kubeconfig with the server URL, its CA and a bearer token; returns <paramref name="path"/>.</summary>
    public string WriteKubeconfig(string path, string? token = null, string contextName = "fake") =>
        KubeconfigWriter.Write(path, BaseAddress, _options.UseHttps ? CaPem : null, token ?? Token, contextName);

    /// <summary>A kubeconfig authenticating with a client certificate (from <see cref="IssueClientCertificate"/>) instead of a token.</summary>
    public string WriteKubeconfig(string path, (string CertPem, string KeyPem) clientCertificate, string contextName = "fake") =>
        KubeconfigWriter.Write(path, BaseAddress, _options.UseHttps ? CaPem : null, clientCertificate, contextName);

    /// <summary>
    /// Writes what a Pod's service account mount holds (<c>token</c>, <c>ca.crt</c>,
    /// <c>namespace</c>) into <paramref name="directory"/>, for in-cluster configuration tests;
    /// point KUBERNETES_SERVICE_HOST/PORT at <see cref="BaseAddress"/>. Returns the directory.
    /// </summary>
    public string WriteServiceAccountFiles(string directory, string? token = null, string ns = "default") =>
        KubeconfigWriter.WriteServiceAccountFiles(directory, token ?? Token, _options.UseHttps ? CaPem : null, ns);

    /// <summary>A client certificate signed by the CA: CN=user, one O per group.</summary>
    public (string CertPem, string KeyPem) IssueClientCertificate(string user, params string[] groups) =>
        _ca.IssueClientCertificate(user, groups);

    /// <summary>An HttpClient that trusts the fake's CA and sends <paramref name="token"/> (the admin token by default; "" for none).</summary>
    public HttpClient CreateHttpClient(string? token = null, X509Certificate2? clientCertificate = null)
    {
#pragma warning disable CA2000 // The handler is owned and disposed by the HttpClient.
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
#pragma warning restore CA2000
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(CaCertificate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        var client = new HttpClient(handler) { BaseAddress = BaseAddress, DefaultRequestVersion = HttpVersion.Version11 };
        if ((token ?? Token) is { Length: > 0 } bearer)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>Ends every open watch stream cleanly; clients must reconnect.</summary>
    public void CloseAllWatches() => Store.CloseAllWatches();

    /// <summary>Writes <paramref name="line"/> as it is into every open watch stream (a malformed line, an ERROR
    /// event), for the faults a real server cannot be made to show on demand.</summary>
    public void SendToAllWatches(string line) => Store.SendToAllWatches(line);

    /// <summary>The next <paramref name="count"/> watches end right after their headers, with no event: a server (or
    /// proxy) that closes streams at once.</summary>
    public void EndNextWatchesAtOnce(int count) => Store.EndNextWatchesAtOnce(count);

    /// <summary>Drops the watch history: resuming from any older resourceVersion gets 410.</summary>
    public void ForgetHistory() => Store.ForgetHistory();

    /// <summary>Stops listening, closes all connections and watches, then listens again on the same port with the same state.</summary>
    public async Task RestartAsync()
    {
        await _hostGate.WaitAsync();
        try
        {
            await StopHostAsync();
            await StartHostAsync(CancellationToken.None);
            Interlocked.Increment(ref _restarts);
        }
        finally
        {
            _hostGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _pendingRestart;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // A restart that failed leaves nothing to stop.
        }

        await _hostGate.WaitAsync();
        try
        {
            await StopHostAsync();
        }
        finally
        {
            _hostGate.Release();
        }

        _ca.Dispose();
        _hostGate.Dispose();
    }

    /// <summary>Completed restarts, for the admin endpoint's status.</summary>
    internal int Restarts => Volatile.Read(ref _restarts);

    /// <summary>A restart requested over the admin endpoint, run after its response was sent.</summary>
    internal void ScheduleRestart() => _pendingRestart = Task.Run(RestartAsync);

    private Task HandleAsync(HttpContext context) =>
        context.Request.Path.StartsWithSegments(AdminEndpoints.Prefix.TrimEnd('/'), StringComparison.Ordinal)
            ? _admin.HandleAsync(context)
            : _pipeline.InvokeAsync(context);

    private async Task StartHostAsync(CancellationToken ct)
    {
        // After a restart the old socket may linger briefly; retry the bind for a few seconds.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                (_app, _port) = await KestrelHost.StartAsync(_port, _options.UseHttps ? _ca : null, HandleAsync, ct);
                return;
            }
            catch (IOException) when (attempt < 50 && _port != 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
        }
    }

    private async Task StopHostAsync()
    {
        if (_app is null)
        {
            return;
        }

        Store.CloseAllWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }
}

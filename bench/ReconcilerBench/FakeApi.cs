using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReconcilerBench;

/// <summary>The fake API server as the bench sees it: its API (as admin, with our own user agent, so that the request
/// log tells our calls from the webhook's) and its admin endpoint.</summary>
internal sealed partial class FakeApi : IDisposable
{
    public const string UserAgent = "reconciler-bench";
    private readonly HttpClient _http;

    public FakeApi(string kubeconfigPath)
    {
        var kubeconfig = File.ReadAllText(kubeconfigPath);
        var server = Field(ServerPattern(), kubeconfig);
        var token = Field(TokenPattern(), kubeconfig);
        var ca = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Field(CaPattern(), kubeconfig)));
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri(server),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    public async Task CreateNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
        await SendAsync(HttpMethod.Post, "/api/v1/namespaces", body, cancellationToken);
    }

    /// <summary>Creates or replaces the exported source credential, a registry with <paramref name="auth"/> as its
    /// <c>auth</c> (base64 of user:password).</summary>
    public async Task PutSourceAsync(string ns, string name, string registry, string auth, bool create, CancellationToken cancellationToken)
    {
        var config = new JsonObject { ["auths"] = new JsonObject { [registry] = new JsonObject { ["auth"] = auth } } }.ToJsonString();
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["pullsecret-webhook.io/export"] = "true" },
            },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(config)) },
        };
        if (create)
        {
            await SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", body, cancellationToken);
        }
        else
        {
            await SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/secrets/{name}", body, cancellationToken);
        }
    }

    /// <summary>The list's resourceVersion, to start a watch from.</summary>
    public async Task<string> ResourceVersionAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return document.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
    }

    /// <summary>A watch stream (one JSON event per line), open until the caller disposes it.</summary>
    public async Task<Stream> WatchAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var response = await _http.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    public async Task ClearRequestLogAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync("/_fake/requests", cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<IReadOnlyList<LoggedRequest>> RequestLogAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("/_fake/requests", cancellationToken);
        response.EnsureSuccessStatusCode();
        var entries = await response.Content.ReadFromJsonAsync<List<LoggedRequest>>(JsonSerializerOptions.Web, cancellationToken);
        return entries ?? [];
    }

    public void Dispose() => _http.Dispose();

    private async Task SendAsync(HttpMethod method, string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private static string Field(Regex pattern, string kubeconfig) =>
        pattern.Match(kubeconfig) is { Success: true } match ? match.Groups[1].Value.Trim('"', '\'') : throw new FormatException($"kubeconfig: no match for {pattern}");

    [GeneratedRegex(@"^\s*server:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex ServerPattern();

    [GeneratedRegex(@"^\s*token:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^\s*certificate-authority-data:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex CaPattern();
}

/// <summary>One entry of the fake's request log (<c>GET /_fake/requests</c>).</summary>
internal sealed record LoggedRequest(string Verb, string Resource, string? Namespace, string? Name, int Status, string? UserAgent)
{
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";
}

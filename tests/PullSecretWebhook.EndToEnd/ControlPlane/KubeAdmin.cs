using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace PullSecretWebhook.EndToEnd.ControlPlane;

/// <summary>A plain REST client for the tests' own calls to a control plane: JSON in, JSON out, status codes as they
/// come. Deliberately not the product's client, so that a bug there cannot hide itself in the tests' view.</summary>
internal sealed class KubeAdmin : IDisposable
{
    private readonly HttpClient _http;

    public KubeAdmin(Uri server, string caPem, string token, TimeSpan? timeout = null)
    {
        var ca = X509Certificate2.CreateFromPem(caPem);
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                // Trust exactly the control plane's CA, host names checked as usual.
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
            },
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler) { BaseAddress = server, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("psw-e2e-admin/1.0");
    }

    public HttpClient Http => _http;

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json", CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? json = null;
        if (text.Length > 0 && text[0] is '{' or '[')
        {
            json = JsonNode.Parse(text);
        }

        return new ApiResponse(response.StatusCode, json, text, response.Headers.Warning.Select(w => w.Text).ToList());
    }

    public async Task<JsonObject?> GetAsync(string path)
    {
        var response = await SendAsync(HttpMethod.Get, path);
        return response.Status == HttpStatusCode.NotFound ? null : response.EnsureSuccess().Object;
    }

    public async Task<JsonObject> CreateAsync(string collectionPath, JsonObject body) =>
        (await SendAsync(HttpMethod.Post, collectionPath, body)).EnsureSuccess().Object;

    public async Task<JsonObject> UpdateAsync(string path, JsonObject body) =>
        (await SendAsync(HttpMethod.Put, path, body)).EnsureSuccess().Object;

    public async Task<JsonObject> MergePatchAsync(string path, JsonObject patch) =>
        (await SendAsync(HttpMethod.Patch, path, patch, "application/merge-patch+json")).EnsureSuccess().Object;

    /// <summary>DELETE; a 404 counts as done.</summary>
    public async Task DeleteAsync(string path)
    {
        var response = await SendAsync(HttpMethod.Delete, path);
        if (response.Status != HttpStatusCode.NotFound)
        {
            response.EnsureSuccess();
        }
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string path) =>
        (await SendAsync(HttpMethod.Get, path)).EnsureSuccess().Object["items"]!.AsArray().Select(i => i!.AsObject()).ToList();

    public void Dispose() => _http.Dispose();
}

/// <summary>An answer of the API server: status, body as JSON when it is JSON, and the raw text.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, JsonNode? Json, string Text, IReadOnlyList<string> Warnings)
{
    public JsonObject Object => Json as JsonObject ?? throw new InvalidOperationException($"not a JSON object: {Text}");

    /// <summary>The Status reason of an error answer (<c>NotFound</c>, <c>Conflict</c>, ...).</summary>
    public string? Reason => (string?)Json?["reason"];

    public ApiResponse EnsureSuccess() =>
        (int)Status is >= 200 and < 300 ? this : throw new HttpRequestException($"API server answered {(int)Status}: {Text}", null, Status);
}

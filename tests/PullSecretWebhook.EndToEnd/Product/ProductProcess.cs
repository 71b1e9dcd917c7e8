using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.ControlPlane;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Product;

/// <summary>The product as an operator runs it: the image's executable (<see cref="ShippedBuild"/>),
/// connected with a kubeconfig for its ServiceAccount, its settings on the command line.</summary>
internal sealed class ProductProcess : IAsyncDisposable
{
    private readonly HttpClient _http;

    private readonly string _home;

    private ProductProcess(ManagedProcess process, Uri url, string podName, string home)
    {
        _home = home;
        Process = process;
        Url = url;
        PodName = podName;
        // The product's own endpoints are read as a monitoring system would; its certificate is checked by the API
        // server (caBundle), which is the point of the admission tests, so this client does not check it again.
#pragma warning disable CA5359 // See above: the API server is the judge of the serving certificate.
        _http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } })
#pragma warning restore CA5359
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    public ManagedProcess Process { get; }

    public Uri Url { get; }

    public string PodName { get; }

    /// <summary>Starts the product listening on <paramref name="url"/> with <paramref name="settings"/> and waits
    /// until <c>/readyz</c> answers 200.</summary>
    public static async Task<ProductProcess> StartAsync(KubeControlPlane plane, Uri url, IReadOnlyDictionary<string, string> settings, string podName = "pullsecret-webhook-0", string? kubeconfig = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var (executable, arguments) = ShippedBuild.Command([]);
        arguments.AddRange(["--urls", url.ToString().TrimEnd('/')]);
        foreach (var (key, value) in settings)
        {
            arguments.Add($"--{key}={value}");
        }

        var home = Directory.CreateTempSubdirectory("psw-e2e-home-").FullName;
        var variables = new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = kubeconfig ?? plane.ProductKubeconfig,
            ["POD_NAMESPACE"] = KubeControlPlane.ProductNamespace,
            ["POD_NAME"] = podName,
            ["HOME"] = home,
            ["KUBERNETES_SERVICE_HOST"] = null,
            ["KUBERNETES_SERVICE_PORT"] = null,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[key] = value;
        }

        var process = ManagedProcess.Start(podName, executable, arguments, variables, workingDirectory: Path.GetDirectoryName(ShippedBuild.Path)!);
        var product = new ProductProcess(process, url, podName, home);
        await Eventually.WaitUntilAsync(async () => !process.HasExited && await product.IsReadyAsync(), $"{podName} is ready on {url}", TimeSpan.FromSeconds(60), () => process.Tail());
        return product;
    }

    public async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("/readyz", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>GET <paramref name="path"/> with <paramref name="token"/> as the bearer token (none when null): the
    /// status code and the body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = token is null ? null : new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>/status and /metrics answer only callers the cluster allows (README, "Who may read /status and
    /// /metrics"): the tests read them as the control plane's admin; EndpointAccess/ tests the other callers.</summary>
    public async Task<JsonObject> StatusAsync() => JsonNode.Parse(await AsAdminAsync("/status"))!.AsObject();

    public async Task<string> MetricsAsync() => await AsAdminAsync("/metrics");

    private async Task<string> AsAdminAsync(string path)
    {
        var (status, body) = await GetAsync(path, KubeControlPlane.AdminToken);
        return status == HttpStatusCode.OK ? body : throw new HttpRequestException($"{path} answered {(int)status}: {body}", null, status);
    }

    /// <summary>The sum of a metric's samples whose labels contain every one of <paramref name="labels"/>
    /// (<c>name="value"</c> pairs).</summary>
    public async Task<double> MetricAsync(string name, params string[] labels)
    {
        var total = 0.0;
        foreach (var line in (await MetricsAsync()).Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is '{' or ' '
                && labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    /// <summary>SIGTERM and wait: the graceful stop of a roll-out (drain, Lease released).</summary>
    public Task StopAsync() => Process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Process.StopAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await Process.DisposeAsync();
            _http.Dispose();
            Directory.Delete(_home, recursive: true);
        }
    }
}

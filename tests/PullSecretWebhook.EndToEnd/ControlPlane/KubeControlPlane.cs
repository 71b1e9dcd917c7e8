using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.ControlPlane;

/// <summary>A real Kubernetes control plane on loopback, as envtest runs one for Go controllers: etcd,
/// kube-apiserver (RBAC, token authentication, ServiceAccount tokens, an audit log of the product's identity, Service
/// ClusterIPs on loopback) and kube-controller-manager with the controllers that make namespaces usable (namespace
/// deletion, the <c>default</c> ServiceAccount and its token). Random ports, one folder, everything killed on
/// dispose.</summary>
internal sealed class KubeControlPlane : IAsyncDisposable
{
    /// <summary>The product's namespace and ServiceAccount, as <c>deploy/</c> names them.</summary>
    public const string ProductNamespace = "pullsecret-webhook";

    public const string ProductUser = $"system:serviceaccount:{ProductNamespace}:pullsecret-webhook";

    /// <summary>The Service ClusterIP range: on loopback, so that a webhook listening on its Service's
    /// <c>ClusterIP:443</c> is reached by the API server through the Service reference, as in a cluster. The first
    /// control plane of a machine gets 127.0.10.0/24; others (another test run, a private plane) a /24 of their own,
    /// so that two products never want the same <c>ClusterIP:443</c>.</summary>
    public string ServiceClusterIpRange { get; }

    /// <summary>The bearer token of <see cref="Admin"/> (<c>system:masters</c>).</summary>
    public const string AdminToken = "e2e-admin-token";
    private const string ProductToken = "e2e-pullsecret-webhook-token";

    private readonly ControlPlaneOptions _options;
    private readonly ControlPlanePki _pki;
    private readonly List<(DateTimeOffset From, DateTimeOffset To)> _apiServerDownWindows = [];
    private readonly int _etcdPort;
    private readonly int _etcdPeerPort;
    private ManagedProcess? _etcd;
    private ManagedProcess? _apiServer;
    private ManagedProcess? _controllerManager;
    private DateTimeOffset? _apiServerStoppedAt;

    private KubeControlPlane(string folder, ControlPlaneOptions options)
    {
        Folder = folder;
        _options = options;
        ServiceClusterIpRange = $"127.0.{ServiceSubnets.Claim()}.0/24";
        _pki = ControlPlanePki.Write(Path.Combine(folder, "pki"), ServiceClusterIpRange);
        _etcdPort = Tools.FreeLoopbackPort();
        _etcdPeerPort = Tools.FreeLoopbackPort();
        ApiServerPort = Tools.FreeLoopbackPort();
        Server = new Uri($"https://127.0.0.1:{ApiServerPort}");
        Audit = new AuditLog(Path.Combine(folder, "audit.log"));
        Admin = new KubeAdmin(Server, _pki.CaPem, AdminToken);
        AdminKubeconfig = WriteKubeconfig("admin.kubeconfig", AdminToken);
        ProductKubeconfig = WriteKubeconfig("product.kubeconfig", ProductToken);
    }

    public string Folder { get; }

    public int ApiServerPort { get; }

    public Uri Server { get; }

    public string CaPem => _pki.CaPem;

    /// <summary>A client in <c>system:masters</c>.</summary>
    public KubeAdmin Admin { get; }

    public string AdminKubeconfig { get; }

    /// <summary>A kubeconfig for the product's ServiceAccount: what RBAC from <c>deploy/</c> allows it, and no more.</summary>
    public string ProductKubeconfig { get; }

    /// <summary>A kubeconfig for the product's ServiceAccount that reaches the API server through
    /// <c>127.0.0.1:<paramref name="port"/></c> (a relay the test controls).</summary>
    public string ProductKubeconfigVia(int port) => WriteKubeconfig($"product-via-{port}.kubeconfig", ProductToken, new Uri($"https://127.0.0.1:{port}"));

    /// <summary>Every request made as the product's identity.</summary>
    public AuditLog Audit { get; }

    public ManagedProcess ApiServerProcess => _apiServer ?? throw new InvalidOperationException("the API server is not running");

    /// <summary>When the API server was down (stopped or restarting), with a few seconds of margin after it came
    /// back: requests in these windows may fail in ways a running server never answers.</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> ApiServerDownWindows => _apiServerDownWindows;

    public static async Task<KubeControlPlane> StartAsync(ControlPlaneOptions? options = null)
    {
        await ControlPlaneBinaries.EnsureInstalledAsync();
        // tmpfs when there is one: etcd fsyncs every write, and the tests do not need durability across machines.
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var folder = Directory.CreateDirectory(Path.Combine(root, $"psw-e2e-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40])).FullName;
        var plane = new KubeControlPlane(folder, options ?? new ControlPlaneOptions());
        try
        {
            await plane.StartEtcdAsync();
            await plane.StartApiServerAsync();
            plane.StartControllerManager();
            await plane.WaitForServiceAccountAsync("default");
            return plane;
        }
        catch
        {
            await plane.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the API server (SIGKILL: no graceful goodbye to open watches) until
    /// <see cref="StartApiServerAsync"/>.</summary>
    public async Task KillApiServerAsync()
    {
        _apiServerStoppedAt = DateTimeOffset.UtcNow;
        if (_apiServer is not null)
        {
            await _apiServer.DisposeAsync();
            _apiServer = null;
        }
    }

    /// <summary>Starts the API server (again) on the same port and waits until it is ready.</summary>
    public async Task StartApiServerAsync()
    {
        _apiServer = ManagedProcess.Start("kube-apiserver", ControlPlaneBinaries.KubeApiServer, ApiServerArguments());
        await Eventually.WaitUntilAsync(
            async () => !_apiServer.HasExited && await IsReadyAsync(),
            "kube-apiserver is ready", TimeSpan.FromSeconds(90), () => _apiServer.Tail());
        if (_apiServerStoppedAt is { } stoppedAt)
        {
            // Clients reconnect with backoff; what they meet in the first seconds after the restart is still the
            // restart's doing (e.g. RBAC caches filling).
            _apiServerDownWindows.Add((stoppedAt, DateTimeOffset.UtcNow.AddSeconds(5)));
            _apiServerStoppedAt = null;
        }
    }

    public async Task RestartApiServerAsync()
    {
        await KillApiServerAsync();
        await StartApiServerAsync();
    }

    public bool InDownWindow(DateTimeOffset at) => _apiServerDownWindows.Any(w => at >= w.From && at <= w.To)
        || (_apiServerStoppedAt is { } stopped && at >= stopped);

    /// <summary>Compacts etcd up to its current revision (physically, so the compaction is done when this returns):
    /// every resourceVersion handed out so far is then gone, as after <c>--etcd-compaction-interval</c>.</summary>
    public async Task<long> CompactEtcdAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_etcdPort}") };
        var range = await PostAsync(http, "/v3/kv/range", new JsonObject { ["key"] = Convert.ToBase64String("/"u8.ToArray()) });
        var revision = long.Parse((string)range["header"]!["revision"]!, CultureInfo.InvariantCulture);
        await PostAsync(http, "/v3/kv/compaction", new JsonObject { ["revision"] = revision.ToString(CultureInfo.InvariantCulture), ["physical"] = true });
        return revision;
    }

    /// <summary>Creates a namespace and waits until Pods can be created in it (its <c>default</c> ServiceAccount and
    /// token exist, which ServiceAccount admission needs).</summary>
    public async Task<string> CreateNamespaceAsync(string prefix, IReadOnlyDictionary<string, string>? labels = null)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 9, 63)];
        var metadata = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        await Admin.CreateAsync("/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = metadata });
        await WaitForServiceAccountAsync(name);
        return name;
    }

    public async Task DeleteNamespaceAsync(string name) => await Admin.DeleteAsync($"/api/v1/namespaces/{name}");

    /// <summary>kubectl as the admin, against this control plane.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> KubectlAsync(params string[] arguments) =>
        Tools.RunAsync("kubectl", ["--kubeconfig", AdminKubeconfig, .. arguments]);

    public Task<(int ExitCode, string Stdout, string Stderr)> KubectlInputAsync(string stdin, params string[] arguments) =>
        Tools.RunAsync("kubectl", ["--kubeconfig", AdminKubeconfig, .. arguments], stdin: stdin);

    /// <summary><c>kubectl apply -f -</c> as the admin; kubectl applies what it can and reports the rest.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> ApplyAsync(string manifests) =>
        Tools.RunAsync("kubectl", ["--kubeconfig", AdminKubeconfig, "apply", "-f", "-"], stdin: manifests);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { _controllerManager, _apiServer, _etcd })
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        Admin.Dispose();
        ServiceSubnets.Release(ServiceClusterIpRange);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A process still closing a file; the folder is in tmpfs or the temp folder either way.
        }
    }

    private async Task StartEtcdAsync()
    {
        var peer = $"http://127.0.0.1:{_etcdPeerPort}";
        var client = $"http://127.0.0.1:{_etcdPort}";
        _etcd = ManagedProcess.Start("etcd", ControlPlaneBinaries.Etcd,
        [
            "--name", "e2e", "--data-dir", Path.Combine(Folder, "etcd"),
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"e2e={peer}",
            "--log-level", "warn",
        ]);
        using var http = new HttpClient { BaseAddress = new Uri(client) };
        await Eventually.WaitUntilAsync(async () =>
        {
            try
            {
                return !_etcd.HasExited && (await http.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "etcd is healthy", TimeSpan.FromSeconds(30), () => _etcd.Tail());
    }

    private List<string> ApiServerArguments()
    {
        var seconds = (TimeSpan t) => ((int)t.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        File.WriteAllText(Path.Combine(Folder, "tokens.csv"),
            $"{AdminToken},e2e-admin,e2e-admin,\"system:masters\"\n" +
            $"{ProductToken},{ProductUser},e2e-product-uid,\"system:serviceaccounts,system:serviceaccounts:{ProductNamespace},system:authenticated\"\n");
        // Every request of the product's identities, at Metadata level: who, what, on which object, with what answer.
        File.WriteAllText(Path.Combine(Folder, "audit-policy.yaml"), $"""
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["RequestReceived"]
            rules:
              - level: Metadata
                userGroups: ["system:serviceaccounts:{ProductNamespace}"]
              - level: None
            """);
        return
        [
            "--etcd-servers", $"http://127.0.0.1:{_etcdPort}",
            "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
            "--secure-port", ApiServerPort.ToString(CultureInfo.InvariantCulture), "--insecure-port", "0",
            "--cert-dir", Path.Combine(Folder, "apiserver-certs"),
            "--tls-cert-file", _pki.ServingCertFile, "--tls-private-key-file", _pki.ServingKeyFile,
            "--client-ca-file", _pki.CaCertFile,
            "--token-auth-file", Path.Combine(Folder, "tokens.csv"),
            "--authorization-mode", "RBAC",
            "--service-account-key-file", _pki.ServiceAccountPublicKeyFile,
            "--service-account-signing-key-file", _pki.ServiceAccountKeyFile,
            "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
            "--service-cluster-ip-range", ServiceClusterIpRange,
            "--audit-policy-file", Path.Combine(Folder, "audit-policy.yaml"),
            "--audit-log-path", Audit.Path, "--audit-log-format", "json",
            "--etcd-compaction-interval", seconds(_options.EtcdCompactionInterval),
            "--min-request-timeout", ((int)_options.MinRequestTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "--watch-cache=" + (_options.WatchCache ? "true" : "false"),
            "--profiling=false",
        ];
    }

    private void StartControllerManager() =>
        _controllerManager = ManagedProcess.Start("kube-controller-manager", ControlPlaneBinaries.KubeControllerManager,
        [
            "--kubeconfig", AdminKubeconfig,
            // Namespaces finish deleting; every namespace gets its `default` ServiceAccount and token (Pod admission
            // needs them); owner references are honoured; a ReplicaSet creates its Pods, as a workload's Pods are
            // created in a cluster (Admission/RealReviewTests). No Deployment controller: no test's Deployment grows Pods.
            "--controllers", "namespace,serviceaccount,serviceaccount-token,garbagecollector,replicaset",
            "--service-account-private-key-file", _pki.ServiceAccountKeyFile,
            "--root-ca-file", _pki.CaCertFile,
            "--leader-elect=false", "--port", "0", "--secure-port", "0",
        ]);

    private async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await Admin.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
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

    private async Task WaitForServiceAccountAsync(string ns) =>
        await Eventually.WaitUntilAsync(
            async () => (await Admin.GetAsync($"/api/v1/namespaces/{ns}/serviceaccounts/default"))?["secrets"]?.AsArray().Count > 0,
            $"namespace {ns} has its default ServiceAccount and token", TimeSpan.FromSeconds(60), () => _controllerManager?.Tail() ?? "");

    private string WriteKubeconfig(string fileName, string token, Uri? server = null)
    {
        var path = Path.Combine(Folder, fileName);
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: e2e
                cluster:
                  server: {server ?? Server}
                  certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(_pki.CaPem))}
            users:
              - name: user
                user:
                  token: {token}
            contexts:
              - name: e2e
                context:
                  cluster: e2e
                  user: user
            current-context: e2e
            """);
        return path;
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, JsonObject body)
    {
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(text)!.AsObject();
    }

}

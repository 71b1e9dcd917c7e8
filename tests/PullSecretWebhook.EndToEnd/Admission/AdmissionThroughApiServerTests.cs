using System.Diagnostics;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.Product;

namespace PullSecretWebhook.EndToEnd.Admission;

/// <summary>The webhook as the API server calls it: self-registered (<c>Tls:Mode=SelfManaged</c>), reached through
/// the Service reference on its loopback ClusterIP, Pods created with kubectl.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class AdmissionThroughApiServerTests(ControlPlaneFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdmissionRequests = "pullsecret_webhook_admission_requests_total";
    private readonly ClusterScope _scope = fixture.NewScope(output);
    private ProductProcess _product = null!;
    private string _team = "";

    public async Task InitializeAsync()
    {
        var sources = await _scope.CreateNamespaceAsync("src");
        _team = await _scope.CreateNamespaceAsync("team");
        await _scope.PutSourceAsync(sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "pw")),
            new Dictionary<string, string> { ["pullsecret-webhook.io/to-namespaces"] = "team-*" });
        _product = await _scope.StartProductAsync(sources);
        await _scope.WaitForRegistriesAsync(_team, "harbor.example.com");
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task KubectlRun_PlainPod_GetsTheReference()
    {
        await KubectlOkAsync("-n", _team, "run", "plain", "--image=registry.example.com/team/app:1", "--restart=Never");

        Assert.Equal(["pullsecret-webhook"], await PullSecretsOfAsync(_team, "plain"));
    }

    [Fact]
    public async Task KubectlCreate_PodWithPullSecrets_KeepsThemInOrderAndAppends()
    {
        await KubectlCreateAsync(_team, ClusterScope.Pod("listed", pullSecrets: ["first", "second"]));

        Assert.Equal(["first", "second", "pullsecret-webhook"], await PullSecretsOfAsync(_team, "listed"));
    }

    [Fact]
    public async Task KubectlCreate_PodAlreadyReferencingTheTarget_IsLeftAsItIs()
    {
        await KubectlCreateAsync(_team, ClusterScope.Pod("already", pullSecrets: ["pullsecret-webhook", "other"]));

        Assert.Equal(["pullsecret-webhook", "other"], await PullSecretsOfAsync(_team, "already"));
    }

    [Fact]
    public async Task KubectlCreate_PodOptedOut_IsNotChangedAndTheWebhookIsNotCalled()
    {
        // The objectSelector spares the call: compare the webhook's own count before and after, with a Pod that is
        // called in between as the control (so the count is known to move when the webhook is called).
        var before = await _product.MetricAsync(AdmissionRequests);
        await KubectlCreateAsync(_team, ClusterScope.Pod("opted-out", new Dictionary<string, string> { [ClusterScope.InjectLabel] = "false" }));
        var afterOptOut = await _product.MetricAsync(AdmissionRequests);
        await KubectlCreateAsync(_team, ClusterScope.Pod("control"));
        var afterControl = await _product.MetricAsync(AdmissionRequests);

        Assert.Empty(await PullSecretsOfAsync(_team, "opted-out"));
        Assert.Equal(before, afterOptOut);
        Assert.Equal(afterOptOut + 1, afterControl);
    }

    [Fact]
    public async Task KubectlCreate_InOptedOutNamespace_IsNotChangedAndTheWebhookIsNotCalled()
    {
        var optedOut = await _scope.CreateNamespaceAsync("optout", new Dictionary<string, string> { [ClusterScope.InjectLabel] = "false" });
        var before = await _product.MetricAsync(AdmissionRequests);

        await KubectlCreateAsync(optedOut, ClusterScope.Pod("app"));

        Assert.Empty(await PullSecretsOfAsync(optedOut, "app"));
        Assert.Equal(before, await _product.MetricAsync(AdmissionRequests));
        Assert.Null(await _scope.GetSecretAsync(optedOut));
    }

    [Fact]
    public async Task KubectlCreate_ServerDryRun_ShowsTheReferenceAndStoresNothing()
    {
        var (exitCode, stdout, stderr) = await fixture.Plane.KubectlInputAsync(ClusterScope.Pod("dry").ToJsonString(), "-n", _team, "create", "--dry-run=server", "-o", "json", "-f", "-");

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(["pullsecret-webhook"], ClusterScope.PullSecretNames(JsonNode.Parse(stdout)!.AsObject()));
        Assert.Null(await _scope.Admin.GetAsync($"/api/v1/namespaces/{_team}/pods/dry"));
    }

    [Fact]
    public async Task KubectlCreate_Deployment_TemplateIsLeftAlone()
    {
        var deployment = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
                    ["spec"] = ClusterScope.Pod("unused")["spec"]!.DeepClone(),
                },
            },
        };

        await KubectlCreateAsync(_team, deployment);

        var stored = await _scope.Admin.GetAsync($"/apis/apps/v1/namespaces/{_team}/deployments/web");
        Assert.Null(stored!["spec"]!["template"]!["spec"]!["imagePullSecrets"]);
    }

    [Fact]
    public async Task KubectlRun_NamespaceWithoutItsSecretYet_PrintsTheWarning()
    {
        // Exported to team-* only: this namespace is selected but gets no credentials, so it has no target Secret.
        var lonely = await _scope.CreateNamespaceAsync("lonely");

        var (_, _, stderr) = await KubectlOkAsync("-n", lonely, "run", "app", "--image=registry.example.com/team/app:1", "--restart=Never");

        Assert.Contains($"Warning: image pull secret \"pullsecret-webhook\" is not present in namespace \"{lonely}\" yet", stderr, StringComparison.Ordinal);
        Assert.Equal(["pullsecret-webhook"], await PullSecretsOfAsync(lonely, "app"));
        Assert.DoesNotContain("Warning", (await KubectlOkAsync("-n", _team, "run", "quiet", "--image=registry.example.com/team/app:1", "--restart=Never")).Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodCreation_WebhookDown_SucceedsWithoutTheReference()
    {
        await _product.StopAsync();
        var stopwatch = Stopwatch.StartNew();

        await KubectlCreateAsync(_team, ClusterScope.Pod("while-down"));

        output.WriteLine($"Pod created in {stopwatch.ElapsedMilliseconds} ms with nothing listening on the webhook's address");
        Assert.Empty(await PullSecretsOfAsync(_team, "while-down"));
    }

    [Fact]
    public async Task PodCreation_WebhookHung_IsDelayedAtMostTheTimeout()
    {
        // SIGSTOP: the kernel still accepts connections on the port, but nothing answers; the API server waits
        // timeoutSeconds (2) and then ignores the webhook (failurePolicy: Ignore).
        var registered = await _scope.Admin.GetAsync("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/pullsecret-webhook");
        var timeout = TimeSpan.FromSeconds((int)registered!["webhooks"]![0]!["timeoutSeconds"]!);
        await _product.Process.SignalAsync("STOP");
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_team}/pods", ClusterScope.Pod("while-hung"));
            var elapsed = stopwatch.Elapsed;

            output.WriteLine($"Pod created in {elapsed.TotalMilliseconds:F0} ms with the webhook hung (timeoutSeconds {timeout.TotalSeconds})");
            Assert.Empty(await PullSecretsOfAsync(_team, "while-hung"));
            // The bound is the registration's timeout, plus the API server's own work; far below kubectl's patience.
            Assert.InRange(elapsed, timeout * 0.9, timeout + TimeSpan.FromSeconds(1.5));
        }
        finally
        {
            await _product.Process.SignalAsync("CONT");
        }
    }

    private async Task<IReadOnlyList<string>> PullSecretsOfAsync(string ns, string pod) =>
        ClusterScope.PullSecretNames((await _scope.Admin.GetAsync($"/api/v1/namespaces/{ns}/pods/{pod}"))!);

    private async Task KubectlCreateAsync(string ns, JsonObject manifest)
    {
        var (exitCode, _, stderr) = await fixture.Plane.KubectlInputAsync(manifest.ToJsonString(), "-n", ns, "create", "-f", "-");
        Assert.True(exitCode == 0, stderr);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> KubectlOkAsync(params string[] arguments)
    {
        var result = await fixture.Plane.KubectlAsync(arguments);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result;
    }
}

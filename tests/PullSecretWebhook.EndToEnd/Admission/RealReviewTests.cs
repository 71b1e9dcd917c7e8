using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PullSecretWebhook.EndToEnd.Support;
using PullSecretWebhook.Tests.Admission.Wire;
using PullSecretWebhook.Tests.CredentialChecks.Support;

namespace PullSecretWebhook.EndToEnd.Admission;

/// <summary>What kube-apiserver really sends a webhook, given to the product's readers: a capturing webhook in this
/// process (registered by URL for one namespace) records the AdmissionReviews of a Pod created by the ReplicaSet
/// controller (kube-controller-manager) and of one created with kubectl, and each must take the fast reader (<c>AdmissionReviewScanner</c>) and
/// read as the reference reader reads it. The unit tier's fixtures are written by hand or taken from documentation;
/// these carry what those lack, such as the managedFields the API server fills in before admission, whose
/// <c>k:{\"name\":\"web\"}</c> names once sent every real review down the slow path.</summary>
/// <remarks>Set <c>PSW_CAPTURE_DIR</c> to keep the captured reviews as files (how the fixture
/// <c>tests/Fixtures/admissionreview/pod-create-by-replicaset-controller.kube-apiserver-1.20.2.json</c> was made).</remarks>
[Collection(SharedControlPlane.Name)]
public sealed class RealReviewTests(ControlPlaneFixture fixture, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string WebhookConfigurations = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";
    private readonly ClusterScope _scope = fixture.NewScope(output);
    private readonly ConcurrentQueue<byte[]> _reviews = new();
    private readonly string _configuration = $"psw-e2e-capture-{Guid.NewGuid():N}"[..32];
    private readonly string _folder = Directory.CreateTempSubdirectory("psw-capture-").FullName;
    private RegistryPki? _pki;
    private WebApplication _server = null!;
    private string _namespace = "";

    public async Task InitializeAsync()
    {
        _pki = new RegistryPki(_folder);
        (_server, var port) = await LoopbackHttps.StartAsync(_pki.Serving, app => app.MapPost("/capture", CaptureAsync));
        var selector = Guid.NewGuid().ToString("N");
        _namespace = await _scope.CreateNamespaceAsync("capture", new Dictionary<string, string> { ["psw-e2e-capture"] = selector });
        await _scope.Admin.CreateAsync(WebhookConfigurations, CaptureConfiguration(port, selector));
    }

    public async Task DisposeAsync()
    {
        await _scope.Admin.DeleteAsync($"{WebhookConfigurations}/{_configuration}");
        await _scope.DisposeAsync();
        await _server.DisposeAsync();
    }

    public void Dispose()
    {
        _pki?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task PodCreates_FromTheReplicaSetControllerAndKubectl_TakeTheFastReaderAndReadAsTheReference()
    {
        await WaitUntilTheApiServerCallsTheCaptureAsync();

        await CreateReplicaSetAsync("web");
        var (exitCode, _, stderr) = await fixture.Plane.KubectlAsync("-n", _namespace, "run", "cli", "--image=registry.example.com/team/app:1", "--restart=Never");
        Assert.True(exitCode == 0, stderr);

        // The controller manager runs on the admin's credentials here, so the ReplicaSet's Pod is told by its owner.
        var byController = await CapturedPodCreateAsync("by the ReplicaSet controller",
            request => (string?)request["object"]?["metadata"]?["ownerReferences"]?[0]?["kind"] == "ReplicaSet");
        var byKubectl = await CapturedPodCreateAsync("with kubectl run", request => (string?)request["name"] == "cli");
        foreach (var (who, body) in new[] { ("replicaset-controller", byController), ("kubectl", byKubectl) })
        {
            var text = Encoding.UTF8.GetString(body);
            output.WriteLine($"review of the Pod created by {who} ({body.Length} bytes):\n{text}");
            Keep($"pod-create-by-{who}.json", body);

            // What makes these reviews different from the hand-written ones: escaped names inside managedFields.
            Assert.Contains("\"managedFields\"", text, StringComparison.Ordinal);
            Assert.Contains("\"k:{\\\"name\\\":", text, StringComparison.Ordinal);
            var fast = ReaderAgreement.AssertScannerReadsAsTheReference(body);
            Assert.Equal("CREATE", fast.Operation);
            Assert.NotEmpty(fast.Pod!.Images);
        }
    }

    /// <summary>A new configuration reaches the API server's admission chain through its informer: send server-side
    /// dry-run Pods until one is captured, so that the Pods the test counts on are not created before.</summary>
    private async Task WaitUntilTheApiServerCallsTheCaptureAsync()
    {
        var probe = 0;
        await Eventually.WaitUntilAsync(async () =>
        {
            var pod = ClusterScope.Pod($"probe-{probe++}");
            await _scope.Admin.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{_namespace}/pods?dryRun=All", pod);
            return !_reviews.IsEmpty;
        }, "the API server calls the capturing webhook");
    }

    private async Task CreateReplicaSetAsync(string name)
    {
        var labels = new JsonObject { ["app"] = name };
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{_namespace}/replicasets", new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = ClusterScope.Pod("unused")["spec"]!.DeepClone(),
                },
            },
        });
    }

    /// <summary>The first captured Pod CREATE that is not a dry run and <paramref name="matches"/>, waiting for it.</summary>
    private Task<byte[]> CapturedPodCreateAsync(string what, Func<JsonNode, bool> matches) =>
        Eventually.ValueAsync(() => Task.FromResult(_reviews.FirstOrDefault(body =>
        {
            var request = JsonNode.Parse(body)!["request"]!;
            return (string?)request["kind"]?["kind"] == "Pod"
                && (string?)request["operation"] == "CREATE"
                && (bool?)request["dryRun"] != true
                && matches(request);
        })), $"the review of a Pod created {what} is captured", TimeSpan.FromSeconds(60),
            () => $"captured from: {string.Join(", ", _reviews.Select(b => (string?)JsonNode.Parse(b)!["request"]?["userInfo"]?["username"]))}");

    private async Task CaptureAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        _reviews.Enqueue(body);
        var uid = (string?)JsonNode.Parse(body)?["request"]?["uid"];
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["response"] = new JsonObject { ["uid"] = uid, ["allowed"] = true },
        });
    }

    private JsonObject CaptureConfiguration(int port, string selector) => new()
    {
        ["apiVersion"] = "admissionregistration.k8s.io/v1",
        ["kind"] = "MutatingWebhookConfiguration",
        ["metadata"] = new JsonObject { ["name"] = _configuration },
        ["webhooks"] = new JsonArray(new JsonObject
        {
            ["name"] = "capture.e2e.pullsecret-webhook.io",
            ["clientConfig"] = new JsonObject
            {
                ["url"] = $"https://127.0.0.1:{port}/capture",
                ["caBundle"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(_pki!.Ca.ExportCertificatePem())),
            },
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray(""),
                ["apiVersions"] = new JsonArray("v1"),
                ["operations"] = new JsonArray("CREATE"),
                ["resources"] = new JsonArray("pods"),
            }),
            ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["psw-e2e-capture"] = selector } },
            ["sideEffects"] = "None",
            ["admissionReviewVersions"] = new JsonArray("v1"),
            ["failurePolicy"] = "Ignore",
            ["timeoutSeconds"] = 5,
        }),
    };

    private static void Keep(string file, byte[] body)
    {
        if (Environment.GetEnvironmentVariable("PSW_CAPTURE_DIR") is { Length: > 0 } directory)
        {
            File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(directory).FullName, file), body);
        }
    }
}

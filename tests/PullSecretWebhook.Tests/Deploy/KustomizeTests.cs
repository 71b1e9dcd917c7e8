using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Registration;
using PullSecretWebhook.Selection;
using PullSecretWebhook.Tests.Support;
using k8s.Models;

namespace PullSecretWebhook.Tests.Deploy;

/// <summary>The invariants of what <c>kubectl kustomize deploy/overlays/*</c> produces.</summary>
public sealed class KustomizeTests
{
    public static TheoryData<string> Overlays() => new() { "deploy/overlays/self-managed", "deploy/overlays/cert-manager" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Overlay_Rbac_HasNoWildcards(string overlay)
    {
        var roles = (await RepositoryFiles.KustomizeAsync(overlay)).Where(o => (string?)o["kind"] is "Role" or "ClusterRole").ToList();

        Assert.Equal(3, roles.Count);
        foreach (var rule in roles.SelectMany(r => r["rules"]!.AsArray()))
        {
            foreach (var field in new[] { "verbs", "resources", "apiGroups", "nonResourceURLs" })
            {
                Assert.DoesNotContain("*", Strings(rule![field]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Overlay_Deployment_IsHardenedAndProbed(string overlay)
    {
        var objects = await RepositoryFiles.KustomizeAsync(overlay);
        var deployment = Single(objects, "Deployment");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]!.AsArray().Single()!;

        Assert.Equal(2, (int)deployment["spec"]!["replicas"]!);
        var image = (string)container["image"]!;
        Assert.Matches(@"^[^:@]+(:[^:@/]+)(@sha256:[0-9a-f]{64})?$", image);
        Assert.DoesNotContain(":latest", image, StringComparison.Ordinal);
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
        var security = container["securityContext"]!;
        Assert.True((bool)security["readOnlyRootFilesystem"]!);
        Assert.False((bool)security["allowPrivilegeEscalation"]!);
        Assert.Equal(["ALL"], Strings(security["capabilities"]!["drop"]));
        Assert.Equal("FallbackToLogsOnError", (string?)container["terminationMessagePolicy"]);
        Assert.Equal(("/readyz", "HTTPS"), Probe(container["readinessProbe"]!));
        Assert.Equal(("/healthz", "HTTPS"), Probe(container["livenessProbe"]!));
        Assert.NotNull(container["resources"]!["requests"]!["memory"]);
        Assert.NotNull(container["resources"]!["limits"]!["memory"]);
        Assert.Null(container["resources"]!["limits"]!["cpu"]);
        var env = container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!);
        Assert.Equal("metadata.namespace", (string?)env["POD_NAMESPACE"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("metadata.name", (string?)env["POD_NAME"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("kubernetes.io/hostname", (string?)pod["topologySpreadConstraints"]![0]!["topologyKey"]);
        Assert.True((int)pod["terminationGracePeriodSeconds"]! > (int)new PullSecretWebhook.Hosting.ShutdownOptions().Timeout.TotalSeconds);

        var service = Single(objects, "Service");
        var port = service["spec"]!["ports"]!.AsArray().Single()!;
        Assert.Equal(443, (int)port["port"]!);
        Assert.Equal(8443, (int)container["ports"]!.AsArray().Single(p => (string?)p!["name"] == (string?)port["targetPort"])!["containerPort"]!);
        Assert.Equal(1, (int)Single(objects, "PodDisruptionBudget")["spec"]!["minAvailable"]!);
    }

    [Fact]
    public async Task SelfManaged_GrantsRegistrationLimitedByName()
    {
        var objects = await RepositoryFiles.KustomizeAsync("deploy/overlays/self-managed");
        var rules = ProductRole(objects)["rules"]!.AsArray();
        var webhookRules = rules.Where(r => Strings(r!["resources"]).Contains("mutatingwebhookconfigurations")).ToList();

        Assert.Equal(["create"], Strings(webhookRules.Single(r => r!["resourceNames"] is null)!["verbs"]));
        var named = webhookRules.Single(r => r!["resourceNames"] is not null)!;
        Assert.Equal([new RegistrationOptions().Name], Strings(named["resourceNames"]));
        Assert.Equal(["get", "patch"], Strings(named["verbs"]));
        Assert.DoesNotContain(objects, o => (string?)o["kind"] == "MutatingWebhookConfiguration");
    }

    [Fact]
    public async Task CertManager_StaticConfiguration_IsWhatRegistrationProduces()
    {
        var objects = await RepositoryFiles.KustomizeAsync("deploy/overlays/cert-manager");
        var configuration = Single(objects, "MutatingWebhookConfiguration");
        var expected = JsonNode.Parse(k8s.KubernetesJson.Serialize(DefaultBuilder().BuildWebhook(caBundle: null, matchConditions: true)));

        Assert.Equal(new RegistrationOptions().Name, (string?)configuration["metadata"]!["name"]);
        Assert.Equal("pullsecret-webhook/pullsecret-webhook-tls", (string?)configuration["metadata"]!["annotations"]!["cert-manager.io/inject-ca-from"]);
        var actual = configuration["webhooks"]!.AsArray().Single();
        Assert.True(JsonNode.DeepEquals(expected, actual), $"deploy/ differs from the code:\n{actual}\nvs\n{expected}");

        var certificate = Single(objects, "Certificate");
        Assert.Equal(new TlsOptions().SecretName, (string?)certificate["spec"]!["secretName"]);
        Assert.Equal(CertificateIssuer.ServiceDnsNames(new TlsOptions().ServiceName, "pullsecret-webhook"), Strings(certificate["spec"]!["dnsNames"]));
        var env = Single(objects, "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
            .ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);
        Assert.Equal("false", env["Registration__Enabled"]);
        Assert.Equal("Files", env["Tls__Mode"]);
        Assert.DoesNotContain(ProductRole(objects)["rules"]!.AsArray(), r => Strings(r!["resources"]).Contains("mutatingwebhookconfigurations"));
    }

    internal static WebhookConfigurationBuilder DefaultBuilder()
    {
        var environment = new KubeEnvironment(name => name == "POD_NAMESPACE" ? "pullsecret-webhook" : null, null);
        return new WebhookConfigurationBuilder(
            Options.Create(new RegistrationOptions()),
            Options.Create(new TlsOptions()),
            Options.Create(new TargetOptions()),
            new NamespaceExclusion(Options.Create(new NamespaceOptions()), environment),
            environment);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Overlay_MetricsReader_GrantsGetOnTheTwoEndpointsAndIsBoundByNothing(string overlay)
    {
        var objects = await RepositoryFiles.KustomizeAsync(overlay);
        var reader = Assert.Single(objects, o => (string?)o["kind"] == "ClusterRole" && (string?)o["metadata"]!["name"] == "pullsecret-webhook-metrics-reader");
        var rule = Assert.Single(reader["rules"]!.AsArray())!;

        Assert.Equal(["/metrics", "/status"], Strings(rule["nonResourceURLs"]));
        Assert.Equal(["get"], Strings(rule["verbs"]));
        Assert.DoesNotContain(objects, o => (string?)o["kind"] is "ClusterRoleBinding" or "RoleBinding" && (string?)o["roleRef"]!["name"] == "pullsecret-webhook-metrics-reader");
        var rules = ProductRole(objects)["rules"]!.AsArray();
        Assert.Contains(rules, r => Strings(r!["apiGroups"]).SequenceEqual(["authentication.k8s.io"]) && Strings(r!["resources"]).SequenceEqual(["tokenreviews"]) && Strings(r!["verbs"]).SequenceEqual(["create"]));
        Assert.Contains(rules, r => Strings(r!["apiGroups"]).SequenceEqual(["authorization.k8s.io"]) && Strings(r!["resources"]).SequenceEqual(["subjectaccessreviews"]) && Strings(r!["verbs"]).SequenceEqual(["create"]));
    }

    [Fact]
    public async Task PrometheusExample_BindsTheMetricsReaderToAServiceAccount()
    {
        var objects = await RepositoryFiles.KustomizeAsync("deploy/examples/prometheus-metrics-reader");
        var binding = Assert.Single(objects);

        Assert.Equal("ClusterRoleBinding", (string?)binding["kind"]);
        Assert.Equal("pullsecret-webhook-metrics-reader", (string?)binding["roleRef"]!["name"]);
        Assert.Equal("ServiceAccount", (string?)binding["subjects"]![0]!["kind"]);
    }

    private static JsonObject ProductRole(IReadOnlyList<JsonObject> objects) =>
        Assert.Single(objects, o => (string?)o["kind"] == "ClusterRole" && (string?)o["metadata"]!["name"] == "pullsecret-webhook");

    private static JsonObject Single(IReadOnlyList<JsonObject> objects, string kind) => Assert.Single(objects, o => (string?)o["kind"] == kind);

    private static List<string> Strings(JsonNode? array) => array?.AsArray().Select(n => (string)n!).ToList() ?? [];

    private static (string Path, string Scheme) Probe(JsonNode probe) => ((string)probe["httpGet"]!["path"]!, (string)probe["httpGet"]!["scheme"]!);
}

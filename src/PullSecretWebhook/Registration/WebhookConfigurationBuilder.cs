using Microsoft.Extensions.Options;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Selection;
using k8s.Models;

namespace PullSecretWebhook.Registration;

/// <summary>The webhook as the server registers it — and as <c>deploy/</c> declares it statically (a test compares
/// the two). Every field the API server would default is set explicitly, so a configuration read back compares equal
/// to what was written and an unchanged registration makes no write. Whether matchConditions belong depends on the
/// server, so the caller says (see <see cref="ServerSupport"/>).</summary>
internal sealed class WebhookConfigurationBuilder(
    IOptions<RegistrationOptions> registration,
    IOptions<TlsOptions> tls,
    IOptions<TargetOptions> target,
    NamespaceExclusion exclusion,
    KubeEnvironment environment)
{
    public const string WebhookName = "pullsecret-webhook.pullsecret-webhook.io";
    public const string MutatePath = "/mutate";

    public string ConfigurationName => registration.Value.Name;

    public V1MutatingWebhookConfiguration BuildConfiguration(byte[]? caBundle, bool matchConditions) => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "MutatingWebhookConfiguration",
        Metadata = new V1ObjectMeta
        {
            Name = ConfigurationName,
            Labels = new Dictionary<string, string> { [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue },
        },
        Webhooks = [BuildWebhook(caBundle, matchConditions)],
    };

    public V1MutatingWebhook BuildWebhook(byte[]? caBundle, bool matchConditions) => new()
    {
        Name = WebhookName,
        ClientConfig = new Admissionregistrationv1WebhookClientConfig
        {
            Service = new Admissionregistrationv1ServiceReference { Name = tls.Value.ServiceName, NamespaceProperty = environment.OwnNamespace, Path = MutatePath, Port = 443 },
            CaBundle = caBundle,
        },
        Rules = [new V1RuleWithOperations { Operations = ["CREATE"], ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"], Scope = "Namespaced" }],
        // The webhook skips these itself too; the selectors spare the API server the call (and the Pod the latency).
        NamespaceSelector = new V1LabelSelector
        {
            MatchExpressions =
            [
                // Namespaces carry this label from Kubernetes 1.21; before, NotIn matches every namespace and the
                // webhook skips the excluded ones itself.
                new V1LabelSelectorRequirement { Key = "kubernetes.io/metadata.name", OperatorProperty = "NotIn", Values = [.. exclusion.Names.Order(StringComparer.Ordinal)] },
                new V1LabelSelectorRequirement { Key = WellKnown.InjectLabel, OperatorProperty = "NotIn", Values = ["false"] },
            ],
        },
        ObjectSelector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = WellKnown.InjectLabel, OperatorProperty = "NotIn", Values = ["false"] }],
        },
        MatchConditions = matchConditions ? MatchConditions(target.Value.SecretName) : null,
        // No side effects (dryRun is safe); never block Pod creation when the webhook is down (README, "Registration").
        SideEffects = "None",
        FailurePolicy = "Ignore",
        TimeoutSeconds = registration.Value.TimeoutSeconds,
        AdmissionReviewVersions = ["v1"],
        MatchPolicy = "Equivalent",
        // Another webhook may add containers after us; being called again is harmless (the patch is idempotent).
        ReinvocationPolicy = "IfNeeded",
    };

    private static List<V1MatchCondition> MatchConditions(string targetSecret) =>
    [
        new V1MatchCondition
        {
            Name = "not-mirror-pod",
            Expression = $"!has(object.metadata.annotations) || !('{WellKnown.MirrorPodAnnotation}' in object.metadata.annotations)",
        },
        new V1MatchCondition
        {
            Name = "not-already-referenced",
            Expression = $"!has(object.spec.imagePullSecrets) || !object.spec.imagePullSecrets.exists(s, has(s.name) && s.name == '{targetSecret}')",
        },
    ];
}

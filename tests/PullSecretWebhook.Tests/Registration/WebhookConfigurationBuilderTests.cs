using Microsoft.Extensions.Options;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Registration;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Tests.Registration;

/// <summary>The webhook entry follows the settings it is built from.</summary>
public sealed class WebhookConfigurationBuilderTests
{
    [Fact]
    public void Build_FollowsExclusionsTargetServiceAndTimeout()
    {
        var environment = new KubeEnvironment(name => name == "POD_NAMESPACE" ? "platform" : null, null);
        var builder = new WebhookConfigurationBuilder(
            Options.Create(new RegistrationOptions { Name = "psw", TimeoutSeconds = 7 }),
            Options.Create(new TlsOptions { ServiceName = "hook" }),
            Options.Create(new TargetOptions { SecretName = "registry-creds" }),
            new NamespaceExclusion(Options.Create(new NamespaceOptions { ExcludedNamespaces = ["legacy", " batch "] }), environment),
            environment);

        var configuration = builder.BuildConfiguration([1, 2, 3], matchConditions: true);
        var webhook = Assert.Single(configuration.Webhooks!);

        Assert.Equal("psw", configuration.Metadata.Name);
        Assert.Equal(("hook", "platform", "/mutate", 443), (webhook.ClientConfig!.Service!.Name, webhook.ClientConfig.Service.NamespaceProperty, webhook.ClientConfig.Service.Path, webhook.ClientConfig.Service.Port));
        Assert.Equal([1, 2, 3], webhook.ClientConfig.CaBundle);
        Assert.Equal(["batch", "kube-node-lease", "kube-public", "kube-system", "legacy", "platform"], webhook.NamespaceSelector!.MatchExpressions![0].Values);
        Assert.Contains("s.name == 'registry-creds'", webhook.MatchConditions![1].Expression, StringComparison.Ordinal);
        Assert.Equal(7, webhook.TimeoutSeconds);
    }

    [Fact]
    public void Build_WithoutMatchConditions_LeavesTheFieldOut()
    {
        var environment = new KubeEnvironment(name => name == "POD_NAMESPACE" ? "platform" : null, null);
        var builder = new WebhookConfigurationBuilder(
            Options.Create(new RegistrationOptions()),
            Options.Create(new TlsOptions()),
            Options.Create(new TargetOptions()),
            new NamespaceExclusion(Options.Create(new NamespaceOptions()), environment),
            environment);

        var webhook = builder.BuildWebhook(caBundle: null, matchConditions: false);

        Assert.Null(webhook.MatchConditions);
        Assert.Equal(2, builder.BuildWebhook(caBundle: null, matchConditions: true).MatchConditions!.Count);
    }
}

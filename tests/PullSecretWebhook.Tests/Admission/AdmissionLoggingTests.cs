using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Admission;

public sealed class AdmissionLoggingTests
{
    [Fact]
    public async Task Mutate_LogsDecisionInAScopeNamingRequestPodAndUser_WithoutObjectContent()
    {
        var logs = new FakeLoggerProvider();
        await using var factory = new WebhookFactory(
            new() { ["Logging:LogLevel:Default"] = "Debug" },
            services: s => s.AddLogging(b => b.AddProvider(logs)));
        using var client = factory.CreateClient();
        var review = Reviews.PodCreate(ns: "team-a");
        // A value that must never reach a log, standing in for anything sensitive inside a Pod.
        review["request"]!["object"]!["spec"]!["containers"]![0]!["env"] = new System.Text.Json.Nodes.JsonArray(
            new System.Text.Json.Nodes.JsonObject { ["name"] = "TOKEN", ["value"] = "s3cr3t-value-123" });

        await AdmissionClient.PostAsync(client, review);

        var decision = Assert.Single(logs.Collector.GetSnapshot(), e => e.Message.StartsWith("Admission answered", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, decision.Level);
        // The request's identity comes from the scope around the line, the outcome from the line itself.
        var fields = decision.Fields();
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", fields["AdmissionUid"]);
        Assert.Equal("team-a", fields["Namespace"]);
        Assert.Equal("app-7d4b9c-", fields["Pod"]);
        Assert.Equal("CREATE", fields["Operation"]);
        Assert.Equal("system:serviceaccount:kube-system:replicaset-controller", fields["User"]);
        Assert.Equal("Injected", decision.GetStructuredStateValue("Outcome"));
        Assert.DoesNotContain(logs.Collector.GetSnapshot(), e => e.AllText().Contains("s3cr3t-value-123", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mutate_LogicFailure_IsLoggedAsError()
    {
        var logs = new FakeLoggerProvider();
        await using var factory = new WebhookFactory(services: s =>
        {
            s.AddLogging(b => b.AddProvider(logs));
            s.AddSingleton<PullSecretWebhook.Admission.INamespaceFactsSource, Throwing>();
        });
        using var client = factory.CreateClient();

        await AdmissionClient.PostAsync(client, Reviews.PodCreate());

        Assert.Contains(logs.Collector.GetSnapshot(), e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
    }

    private sealed class Throwing : PullSecretWebhook.Admission.INamespaceFactsSource
    {
        public PullSecretWebhook.Admission.NamespaceFacts Get(string namespaceName) => throw new InvalidOperationException("boom");
    }
}

using System.Net;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Observability;

public sealed class EndpointTests
{
    [Fact]
    public async Task Health_And_Ready_AreOkOnceCertificateLoaded()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterAdmissions_CountOutcomesAndLatency()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();
        await AdmissionClient.PostAsync(client, Reviews.PodCreate());
        await AdmissionClient.PostAsync(client, Reviews.PodCreate(ns: "kube-system"));
        await AdmissionClient.PostAsync(client, "{}", "text/plain");

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("pullsecret_webhook_admission_requests_total{reason=\"injected\",result=\"injected\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("pullsecret_webhook_admission_requests_total{reason=\"namespace_excluded\",result=\"skipped\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("pullsecret_webhook_admission_rejected_requests_total{code=\"415\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("pullsecret_webhook_admission_duration_seconds_count{result=\"injected\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("process_resident_memory_bytes ", text, StringComparison.Ordinal);
    }
}

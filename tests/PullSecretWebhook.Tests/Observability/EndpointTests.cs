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

    [Fact]
    public async Task Metrics_AskedForOpenMetrics_StillAnswerTextFormat004()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.DoesNotContain("# EOF", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_OfTwoHostsInOneProcess_AreEachHostsOwn()
    {
        await using var first = new WebhookFactory();
        await using var second = new WebhookFactory();
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        await AdmissionClient.PostAsync(firstClient, Reviews.PodCreate());
        await AdmissionClient.PostAsync(secondClient, "{}", "text/plain");

        var firstText = await firstClient.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var secondText = await secondClient.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("pullsecret_webhook_admission_requests_total{reason=\"injected\",result=\"injected\"} 1\n", firstText, StringComparison.Ordinal);
        Assert.DoesNotContain("pullsecret_webhook_admission_rejected_requests_total", firstText, StringComparison.Ordinal);
        Assert.Contains("pullsecret_webhook_admission_rejected_requests_total{code=\"415\"} 1\n", secondText, StringComparison.Ordinal);
        Assert.DoesNotContain("pullsecret_webhook_admission_requests_total", secondText, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hosting;

/// <summary>SIGTERM handling: readiness turns 503 at once while the server keeps answering for the drain delay.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stop_TurnsReadinessOff_AndKeepsServingUntilTheDrainDelayHasPassed()
    {
        var time = new ManualTimeProvider();
        var factory = new WebhookFactory(
            new() { ["urls"] = "https://127.0.0.1:0", ["Shutdown:DrainDelay"] = "00:00:05" },
            services: s => s.AddSingleton<TimeProvider>(time));
        factory.UseKestrel();
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        var served = factory.Services.GetRequiredService<PullSecretWebhook.Certificates.ServingCertificate>().Current!.Thumbprint;
        using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == served } };
        using var client = new HttpClient(handler) { BaseAddress = address };
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/readyz"));

        var stopping = factory.DisposeAsync().AsTask();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await StatusAsync(client, "/readyz") != HttpStatusCode.ServiceUnavailable)
        {
            Assert.True(DateTime.UtcNow < deadline, "readiness did not turn off");
            await Task.Delay(10);
        }

        using var review = new StringContent(Reviews.PodCreate().ToJsonString(), Encoding.UTF8, "application/json");
        using var mutate = await client.PostAsync(new Uri("/mutate", UriKind.Relative), review);
        Assert.Equal(HttpStatusCode.OK, mutate.StatusCode);
        Assert.False(stopping.IsCompleted);

        await Eventually.WaitUntilAsync(() => time.PendingTimers().Contains(TimeSpan.FromSeconds(5)), "the drain waits its delay");
        time.Advance(TimeSpan.FromSeconds(5));
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }
}

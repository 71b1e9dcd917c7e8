using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hosting;

/// <summary>SIGTERM handling: readiness turns 503 at once while the server keeps answering for the drain delay.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stop_TurnsReadinessOff_AndKeepsServingUntilTheDrainDelayHasPassed()
    {
        var time = new TimerAwareTimeProvider();
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

        // The drain has begun once its delay is armed; readiness went off just before.
        await time.TimerCreatedAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(client, "/readyz"));
        using var review = new StringContent(Reviews.PodCreate().ToJsonString(), Encoding.UTF8, "application/json");
        using var mutate = await client.PostAsync(new Uri("/mutate", UriKind.Relative), review);
        Assert.Equal(HttpStatusCode.OK, mutate.StatusCode);

        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.False(stopping.IsCompleted, "the server stopped before the drain delay had passed");
        time.Advance(TimeSpan.FromTicks(1));
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PullSecretWebhook.Tests.Hardening.Support;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hardening;

/// <summary>Stopping the server while requests are in flight: every request it accepted is answered in full.
/// (A drain delay before Kestrel stops accepting, <c>Shutdown:DrainDelay</c>, is another change; this tests what
/// Kestrel guarantees on its own.)</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stop_WithRequestsInFlight_AnswersEveryAcceptedRequest()
    {
        var server = LoopbackWebhook.Start();
        await using (server)
        {
            using var client = server.CreateClient(HttpVersion.Version11, connections: 20);
            var started = 0;
            var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var requests = Enumerable.Range(0, 20).Select(async i =>
            {
                using var content = new SlowContent(Encoding.UTF8.GetBytes(Reviews.PodCreate(uid: $"uid-{i}").ToJsonString()), () => Interlocked.Increment(ref started), rest.Task);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(new Uri("/mutate", UriKind.Relative), content);
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            }).ToList();

            // Every request has its headers and part of its body on the server when the stop begins.
            await Eventually.WaitUntilAsync(() => Volatile.Read(ref started) == 20, "all requests are in flight");
            var lifetime = server.Services.GetRequiredService<IHostApplicationLifetime>();
            lifetime.StopApplication();
            // The stop has begun (ApplicationStopping fires inside StopApplication); only now do the bodies complete.
            Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
            rest.SetResult();

            var answers = await Task.WhenAll(requests);
            Assert.All(answers, a => Assert.Equal(200, a.Item1));
            Assert.All(answers, a => Assert.Contains("\"allowed\":true", a.Item2, StringComparison.Ordinal));
            await Eventually.WaitUntilAsync(() => !Accepts(server.Address.Port), "the server has stopped listening");
        }
    }

    private static bool Accepts(int port)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        try
        {
            tcp.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>Sends half the body, reports that it is in flight, then the rest once the test releases it.</summary>
    private sealed class SlowContent(byte[] body, Action inFlight, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            inFlight();
            await release; // the stop begins before the rest of the body is sent
            await stream.WriteAsync(body.AsMemory(body.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}

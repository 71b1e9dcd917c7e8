using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Tests.Hardening.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hardening;

/// <summary>Kestrel's limits come from the <c>Limits</c> settings, and the two that guard against slow clients cut
/// them off on a real TLS connection.</summary>
public sealed class KestrelLimitsTests
{
    /// <summary>Far longer than any cut-off under test (a few seconds on Kestrel's one-second heartbeat).</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Limits_ByDefault_AreTheDocumentedValues()
    {
        await using var factory = new WebhookFactory();

        var limits = factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(TimeSpan.FromSeconds(10), limits.RequestHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(130), limits.KeepAliveTimeout);
        Assert.Equal(1024, limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), limits.MinRequestBodyDataRate.GracePeriod);
        Assert.Equal(1000, limits.MaxConcurrentConnections);
        Assert.Equal(0, limits.MaxConcurrentUpgradedConnections);
        Assert.Equal(16 * 1024, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(64, limits.MaxRequestHeaderCount);
        Assert.Equal(4096, limits.MaxRequestLineSize);
        Assert.Equal(250, limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(4096, limits.Http2.HeaderTableSize);
        Assert.Equal(16 * 1024, limits.Http2.MaxFrameSize);
        Assert.Equal(16 * 1024, limits.Http2.MaxRequestHeaderFieldSize);
        Assert.Equal(1024 * 1024, limits.Http2.InitialConnectionWindowSize);
        Assert.Equal(768 * 1024, limits.Http2.InitialStreamWindowSize);
    }

    [Fact]
    public async Task Limits_FromSettings_AreAppliedToKestrel()
    {
        await using var factory = new WebhookFactory(new()
        {
            ["Limits:RequestHeadersTimeout"] = "00:00:03",
            ["Limits:KeepAliveTimeout"] = "00:00:45",
            ["Limits:MinRequestBodyBytesPerSecond"] = "0",
            ["Limits:MaxConcurrentConnections"] = "7",
            ["Limits:MaxConcurrentUpgradedConnections"] = "2",
            ["Limits:MaxRequestHeadersTotalSize"] = "8192",
            ["Limits:MaxRequestHeaderCount"] = "20",
            ["Limits:MaxRequestLineSize"] = "1024",
            ["Limits:Http2MaxStreamsPerConnection"] = "10",
            ["Limits:Http2HeaderTableSize"] = "0",
            ["Limits:Http2MaxFrameSize"] = "32768",
            ["Limits:Http2InitialConnectionWindowSize"] = "131072",
            ["Limits:Http2InitialStreamWindowSize"] = "65536",
        });

        var limits = factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(TimeSpan.FromSeconds(3), limits.RequestHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), limits.KeepAliveTimeout);
        Assert.Null(limits.MinRequestBodyDataRate);
        Assert.Equal(7, limits.MaxConcurrentConnections);
        Assert.Equal(2, limits.MaxConcurrentUpgradedConnections);
        Assert.Equal(8192, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(20, limits.MaxRequestHeaderCount);
        Assert.Equal(1024, limits.MaxRequestLineSize);
        Assert.Equal(10, limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(0, limits.Http2.HeaderTableSize);
        Assert.Equal(32768, limits.Http2.MaxFrameSize);
        Assert.Equal(131072, limits.Http2.InitialConnectionWindowSize);
        Assert.Equal(65536, limits.Http2.InitialStreamWindowSize);
    }

    [Theory]
    [InlineData("Limits:RequestHeadersTimeout", "00:00:00")]
    [InlineData("Limits:MinRequestBodyGracePeriod", "00:00:01")]
    [InlineData("Limits:MaxConcurrentConnections", "0")]
    [InlineData("Limits:Http2MaxFrameSize", "100")]
    [InlineData("Limits:Http2InitialStreamWindowSize", "99999999")]
    public async Task Limits_BadValue_StopsStartNamingTheSetting(string key, string value)
    {
        // The real process, as an operator starts it: a WebApplicationFactory host that fails to start sometimes
        // reports ObjectDisposedException instead of the validation error when the machine is loaded.
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync([$"--{key}={value}", "--urls=https://127.0.0.1:0"], deadline: TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains(key, StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task SlowLorisHeaders_AreCutOffAfterTheHeadersTimeout()
    {
        await using var server = LoopbackWebhook.Start(new() { ["Limits:RequestHeadersTimeout"] = "00:00:02" });
        var (tcp, tls) = await server.ConnectRawAsync();
        using (tcp)
        await using (tls)
        {
            var stopwatch = Stopwatch.StartNew();
            await tls.WriteAsync("POST /mutate HTTP/1.1\r\nHost: localhost\r\n"u8.ToArray());
            var closed = await TrickleUntilClosedAsync(tls, i => Encoding.ASCII.GetBytes(i % 20 == 19 ? "\r\n" : "x"), TimeSpan.FromMilliseconds(100));

            Assert.True(closed, "the server kept a connection open whose headers never ended");
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.5), Deadline);
        }

        await AssertHealthyAsync(server);
    }

    [Fact]
    public async Task TooSlowBody_IsCutOffAfterTheGracePeriod()
    {
        await using var server = LoopbackWebhook.Start(new()
        {
            ["Limits:MinRequestBodyBytesPerSecond"] = "500",
            ["Limits:MinRequestBodyGracePeriod"] = "00:00:02",
        });
        var (tcp, tls) = await server.ConnectRawAsync();
        using (tcp)
        await using (tls)
        {
            var stopwatch = Stopwatch.StartNew();
            await tls.WriteAsync("POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"u8.ToArray());
            var closed = await TrickleUntilClosedAsync(tls, _ => " "u8.ToArray(), TimeSpan.FromMilliseconds(100));

            Assert.True(closed, "the server kept reading a body arriving at 10 bytes a second");
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.5), Deadline);
        }

        await AssertHealthyAsync(server);
    }

    /// <summary>Sends a piece every <paramref name="interval"/> while reading; true once the server has closed the
    /// connection (end of stream or a reset), false at the deadline. Any status line the server sent first must not
    /// be a 5xx.</summary>
    private static async Task<bool> TrickleUntilClosedAsync(SslStream tls, Func<int, byte[]> piece, TimeSpan interval)
    {
        var received = new StringBuilder();
        using var deadline = new CancellationTokenSource(Deadline);
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await tls.ReadAsync(buffer, deadline.Token)) > 0)
                {
                    received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
            }
            catch (IOException)
            {
                // Reset by the server: closed as well.
            }
        });

        for (var i = 0; !reading.IsCompleted && !deadline.IsCancellationRequested; i++)
        {
            try
            {
                await tls.WriteAsync(piece(i), deadline.Token);
                await tls.FlushAsync(deadline.Token);
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(reading, Task.Delay(interval, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        }

        try
        {
            await reading;
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        Assert.DoesNotMatch(@"^HTTP/1\.1 5\d\d", received.ToString());
        return true;
    }

    private static async Task AssertHealthyAsync(LoopbackWebhook server)
    {
        using var client = server.CreateClient(HttpVersion.Version11);
        var (status, _) = await AdmissionClient.PostAsync(client, Reviews.PodCreate());
        Assert.Equal(200, status);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PullSecretWebhook.Tests.Hardening.Support;
using PullSecretWebhook.Tests.Support;
using Xunit.Abstractions;

namespace PullSecretWebhook.Tests.Hardening;

/// <summary>Hostile and broken input against the real server over TLS on loopback (one server, a few connections,
/// HTTP/1.1 and HTTP/2). Seeded: <c>PSW_FUZZ_SEED</c> reproduces a run, <c>PSW_FUZZ_CASES</c> sets its length (the
/// long run in bench/hardening uses it); every failure names the seed and the case.</summary>
[Collection(HeapMeasuringTests.Name)]
public sealed class AdmissionFuzzTests(ITestOutputHelper output)
{
    /// <summary>The request body limit of the run: small enough that oversized cases stay cheap, large enough for
    /// Pods with thousands of containers.</summary>
    private const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Managed heap growth allowed across the run, after full collections: buffer pools warmed by bodies of
    /// up to 1.5 MiB on several connections, and the captured logs. The run pushes gigabytes through the server.</summary>
    private const long PoolBound = 256L * 1024 * 1024;

    /// <summary>Growth allowed while repeating cases the pools have already seen: a per-request leak of even a few
    /// kilobytes would exceed it.</summary>
    private const long LeakBound = 24L * 1024 * 1024;

    private const int RepeatCases = 1_000;

    private const int Workers = 4;

    [Fact]
    public async Task Fuzz_TenThousandHostileRequests_AreAnsweredWithReviewsOr4xx_AndTheServerStaysHealthy()
    {
        var seed = FuzzRandom.Seed("PSW_FUZZ_SEED");
        var cases = FuzzRandom.Count("PSW_FUZZ_CASES", 10_000);
        var logs = new FakeLoggerProvider();
        await using var server = LoopbackWebhook.Start(
            new() { ["Admission:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Logging:LogLevel:Default"] = "Warning" },
            services => services.AddLogging(l => l.ClearProviders().AddProvider(logs)));
        using var http1 = server.CreateClient(HttpVersion.Version11, connections: 3);
        using var http2 = server.CreateClient(HttpVersion.Version20);
        var fuzzer = new ReviewFuzzer(MaxBodyBytes);
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<string, int>();

        async Task RunAsync(IEnumerable<int> indexes)
        {
            var queue = new ConcurrentQueue<int>(indexes);
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
            {
                while (failures.Count < 20 && queue.TryDequeue(out var index))
                {
                    var fuzzCase = fuzzer.Create(seed, index);
                    var client = index % 3 == 0 ? http2 : http1;
                    try
                    {
                        var (status, contentType, body) = await SendAsync(client, fuzzCase);
                        statuses.AddOrUpdate($"{fuzzCase.Kind} {status}", 1, (_, n) => n + 1);
                        if (FuzzOracle.Judge(fuzzCase, status, contentType, body) is { } problem)
                        {
                            failures.Enqueue($"{fuzzCase}: {problem}");
                        }
                    }
                    catch (HttpRequestException) when (fuzzCase.Oversized)
                    {
                        // The server may stop reading an oversized body and close; that is a refusal, not a failure.
                        statuses.AddOrUpdate($"{fuzzCase.Kind} closed", 1, (_, n) => n + 1);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        failures.Enqueue($"{fuzzCase}: transport failure {e.GetType().Name}: {e.Message}");
                    }
                }
            })));
        }

        // Warm up (JIT, connections) so that the heap baseline is the steady state.
        await RunAsync(Enumerable.Range(fuzzer.SweepCount, 200));
        var heapBefore = SettledHeap();
        var stopwatch = Stopwatch.StartNew();
        await RunAsync(Enumerable.Range(0, cases));
        stopwatch.Stop();
        var heapAfterRun = SettledHeap();

        // Pools (Kestrel's memory blocks, ArrayPool buffers for large bodies) fill during the run and may stay filled;
        // a leak is growth that goes on: the same random cases once more must not grow the heap further.
        await RunAsync(Enumerable.Range(fuzzer.SweepCount, Math.Min(RepeatCases, Math.Max(0, cases - fuzzer.SweepCount))));
        var heapAfterRepeat = SettledHeap();

        output.WriteLine($"seed {seed}: {cases} cases ({fuzzer.SweepCount} in the type sweep) in {stopwatch.Elapsed.TotalSeconds:F1} s; managed heap {heapBefore / 1024} KiB before, {heapAfterRun / 1024} KiB after, {heapAfterRepeat / 1024} KiB after {RepeatCases} repeated cases");
        foreach (var (key, count) in statuses.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {key}: {count}");
        }

        var reproduce = $"reproduce with PSW_FUZZ_SEED={seed} PSW_FUZZ_CASES={cases}";
        Assert.True(failures.IsEmpty, $"{reproduce}\n{string.Join('\n', failures.Take(20))}");
        var errors = logs.Collector.GetSnapshot().Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message} {e.Exception?.GetType().Name}").Distinct().Take(10).ToList();
        Assert.True(errors.Count == 0, $"{reproduce}: the server logged errors (a fail-open path was taken):\n{string.Join('\n', errors)}");
        Assert.True(heapAfterRun - heapBefore < PoolBound, $"{reproduce}: managed heap grew from {heapBefore} to {heapAfterRun} bytes over the run");
        Assert.True(heapAfterRepeat - heapAfterRun < LeakBound, $"{reproduce}: managed heap kept growing, from {heapAfterRun} to {heapAfterRepeat} bytes, over repeated cases");

        // Still alive, healthy and answering on the same connections.
        using var health = await http1.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var (okStatus, _) = await AdmissionClient.PostAsync(http2, Reviews.PodCreate());
        Assert.Equal(200, okStatus);
    }

    private static async Task<(int Status, string? ContentType, byte[] Body)> SendAsync(HttpClient client, FuzzCase fuzzCase)
    {
        using var request = new HttpRequestMessage(fuzzCase.Method, new Uri(fuzzCase.Path, UriKind.Relative));
        if (fuzzCase.Body.Length > 0 || fuzzCase.Method == HttpMethod.Post)
        {
            request.Content = fuzzCase.Slow ? new TrickleContent(fuzzCase.Body) : new ByteArrayContent(fuzzCase.Body);
            request.Content.Headers.ContentType = null;
            if (fuzzCase.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzzCase.ContentType);
            }
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    private static long SettledHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A body sent in ten pieces with short pauses, without a Content-Length: slow, but well above the
    /// minimum data rate, so it must be answered normally.</summary>
    private sealed class TrickleContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var piece = Math.Max(1, body.Length / 10);
            for (var offset = 0; offset < body.Length; offset += piece)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(piece, body.Length - offset)));
                await stream.FlushAsync();
                await Task.Delay(10);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

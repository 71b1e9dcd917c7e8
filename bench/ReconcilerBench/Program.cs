using System.Diagnostics;
using System.Globalization;
using System.Text;
using ReconcilerBench;

// usage: reconciler-bench --out DIR --fake DLL --webhook PROGRAM [--namespaces N] [--creations K] [--idle-seconds S]
//                         [--qps Q] [--server-cpu C] [--load-cpu C] [-- WEBHOOK-SETTINGS...]
// Seeds N namespaces and one exported source in the standalone fake API server, starts the webhook against it and
// measures: cold start to every namespace correct, an idle window (API calls, writes), K namespace creations one at a
// time (creation → Secret seen), a source rotation to every namespace updated, and the webhook's peak RSS.
var options = BenchOptions.Parse(args);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

try
{
    var results = await new Bench(options).RunAsync(stop.Token);
    var summary = Summary.Write(options, results);
    await File.WriteAllTextAsync(Path.Combine(options.Out, "table.md"), summary);
    Console.Write(summary);
    return 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("reconciler-bench: stopped");
    return 130;
}

namespace ReconcilerBench
{
    internal sealed record BenchOptions
    {
        public required string Out { get; init; }
        public required string FakeDll { get; init; }
        public required string Webhook { get; init; }
        public int Namespaces { get; init; } = 1000;
        public int Creations { get; init; } = 100;
        public int IdleSeconds { get; init; } = 600;
        public double Qps { get; init; } = 20;
        public string ServerCpu { get; init; } = "1";
        public string LoadCpu { get; init; } = "0";
        public IReadOnlyList<string> WebhookSettings { get; init; } = [];

        public static BenchOptions Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var rest = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i] == "--")
                {
                    rest.AddRange(args[(i + 1)..]);
                    break;
                }

                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                {
                    throw new ArgumentException($"bad argument {args[i]}");
                }

                values[args[i][2..]] = args[++i];
            }

            string Required(string key) => values.TryGetValue(key, out var v) ? v : throw new ArgumentException($"--{key} is required");
            int Int(string key, int fallback) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            return new BenchOptions
            {
                Out = Required("out"),
                FakeDll = Required("fake"),
                Webhook = Required("webhook"),
                Namespaces = Int("namespaces", 1000),
                Creations = Int("creations", 100),
                IdleSeconds = Int("idle-seconds", 600),
                Qps = values.TryGetValue("qps", out var qps) ? double.Parse(qps, CultureInfo.InvariantCulture) : 20,
                ServerCpu = values.GetValueOrDefault("server-cpu", "1"),
                LoadCpu = values.GetValueOrDefault("load-cpu", "0"),
                WebhookSettings = rest,
            };
        }
    }

    internal sealed record PhaseCalls(int Calls, int Writes, int SecretWrites, int LeaseCalls);

    internal sealed record BenchResults
    {
        public double SeedSeconds { get; init; }
        public double ColdStartSeconds { get; init; }
        public int ColdStartCorrect { get; init; }
        public PhaseCalls ColdStartCalls { get; init; } = new(0, 0, 0, 0);
        public double IdleSeconds { get; init; }
        public PhaseCalls IdleCalls { get; init; } = new(0, 0, 0, 0);
        public IReadOnlyList<double> CreationMilliseconds { get; init; } = [];
        public int CreationsMissed { get; init; }
        public int RotatedNamespaces { get; init; }
        public double RotationSeconds { get; init; }
        public int RotationCorrect { get; init; }
        public PhaseCalls RotationCalls { get; init; } = new(0, 0, 0, 0);
        public double PeakRssMiB { get; init; }
    }

    internal sealed class Bench(BenchOptions options)
    {
        private const string SourceNamespace = "psw-system";
        private const string Target = "pullsecret-webhook";
        private const string Registry = "registry.bench.example";
        private static readonly string Auth1 = Convert.ToBase64String(Encoding.UTF8.GetBytes("bench:password-1"));
        private static readonly string Auth2 = Convert.ToBase64String(Encoding.UTF8.GetBytes("bench:password-2"));

        public async Task<BenchResults> RunAsync(CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(options.Out);
            var pidFile = Path.Combine(options.Out, "pids");
            var kubeconfig = Path.Combine(options.Out, "kubeconfig");
            Log($"starting the fake API server (CPU {options.LoadCpu})");
            using var fake = ChildProcess.Start(options.LoadCpu, options.FakeDll,
                ["--port", "0", "--kubeconfig", kubeconfig, "--history", "200000"],
                new Dictionary<string, string?>(), Path.Combine(options.Out, "fake.log"), pidFile, waitFor: "ready");
            await fake.WaitForLineAsync(TimeSpan.FromSeconds(60));
            using var api = new FakeApi(kubeconfig);

            // Seed through the API, many at a time: the fake has no rate limit, and this is not what is measured.
            var seedWatch = Stopwatch.StartNew();
            var names = Enumerable.Range(1, options.Namespaces).Select(i => $"bench-{i:D5}").ToList();
            await api.CreateNamespaceAsync(SourceNamespace, cancellationToken);
            await api.PutSourceAsync(SourceNamespace, "registry-credentials", Registry, Auth1, create: true, cancellationToken);
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
                async (name, token) => await api.CreateNamespaceAsync(name, token));
            var seedSeconds = seedWatch.Elapsed.TotalSeconds;
            Log($"seeded {names.Count} namespaces in {seedSeconds:F1} s");

            using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var targets = new TargetWatch(api, Target, Registry);
            var rv = await api.ResourceVersionAsync($"/api/v1/secrets?fieldSelector=metadata.name%3D{Target}&limit=1", cancellationToken);
            var watchTask = targets.RunAsync(rv, watching.Token);
            await api.ClearRequestLogAsync(cancellationToken);

            // Cold start: from launching the process to every namespace holding the source's credential.
            Log($"starting the webhook (CPU {options.ServerCpu}), Kube:Qps={options.Qps}");
            var started = Stopwatch.GetTimestamp();
            using var webhook = ChildProcess.Start(options.ServerCpu, options.Webhook,
                ["--urls", "https://127.0.0.1:0", $"--Kube:Qps={options.Qps.ToString(CultureInfo.InvariantCulture)}", .. options.WebhookSettings],
                new Dictionary<string, string?>
                {
                    ["KUBECONFIG"] = kubeconfig,
                    ["POD_NAMESPACE"] = SourceNamespace,
                    ["HOME"] = options.Out,
                    ["KUBERNETES_SERVICE_HOST"] = null,
                },
                Path.Combine(options.Out, "webhook.log"), pidFile);
            using var memory = new MemorySampler(webhook);
            var floor = options.Namespaces / options.Qps;
            var (coldCorrect, coldAt) = await WaitAllAsync(targets, names, Auth1, TimeSpan.FromSeconds(floor * 3 + 60), watchTask, webhook, cancellationToken);
            var coldSeconds = Stopwatch.GetElapsedTime(started, coldAt).TotalSeconds;
            Log($"cold start: {coldCorrect}/{names.Count} correct after {coldSeconds:F1} s (floor {floor:F1} s)");
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // let the last writes' events settle
            var coldCalls = Calls(await api.RequestLogAsync(cancellationToken));

            // Idle: nothing changes; the webhook should only keep its watches (and, leading, its Lease).
            await api.ClearRequestLogAsync(cancellationToken);
            Log($"idle window of {options.IdleSeconds} s");
            var idleWatch = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds), cancellationToken);
            var idleCalls = Calls(await api.RequestLogAsync(cancellationToken));
            var idleSeconds = idleWatch.Elapsed.TotalSeconds;
            Log($"idle: {idleCalls}");

            // New namespaces, one at a time while otherwise idle: creation request sent → Secret seen on the watch.
            Log($"{options.Creations} namespace creations");
            var latencies = new List<double>();
            var missed = 0;
            for (var i = 1; i <= options.Creations; i++)
            {
                var name = $"bench-new-{i:D4}";
                var sent = Stopwatch.GetTimestamp();
                await api.CreateNamespaceAsync(name, cancellationToken);
                var seen = await WaitOneAsync(targets, name, Auth1, TimeSpan.FromSeconds(10), webhook, cancellationToken);
                if (seen is { } at)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
                }
                else
                {
                    missed++;
                }

                names.Add(name);
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }

            var ordered = latencies.Order().ToList();
            Log(ordered.Count == 0 ? $"creations: all {missed} missed" : $"creations: p50 {ordered[(ordered.Count - 1) / 2]:F0} ms, max {ordered[^1]:F0} ms, {missed} missed; webhook peak RSS so far {memory.PeakBytes / 1048576.0:F1} MiB");

            // Rotation: the source's password changes; every namespace must follow.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            await api.ClearRequestLogAsync(cancellationToken);
            Log($"rotating the source across {names.Count} namespaces");
            var rotated = Stopwatch.GetTimestamp();
            await api.PutSourceAsync(SourceNamespace, "registry-credentials", Registry, Auth2, create: false, cancellationToken);
            var (rotCorrect, rotAt) = await WaitAllAsync(targets, names, Auth2, TimeSpan.FromSeconds(names.Count / options.Qps * 3 + 60), watchTask, webhook, cancellationToken);
            var rotationSeconds = Stopwatch.GetElapsedTime(rotated, rotAt).TotalSeconds;
            Log($"rotation: {rotCorrect}/{names.Count} updated after {rotationSeconds:F1} s");
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var rotationCalls = Calls(await api.RequestLogAsync(cancellationToken));

            var peak = Math.Max(memory.PeakBytes, webhook.Memory()?.Peak ?? 0) / 1048576.0;
            await watching.CancelAsync();
            await watchTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return new BenchResults
            {
                SeedSeconds = seedSeconds,
                ColdStartSeconds = coldSeconds,
                ColdStartCorrect = coldCorrect,
                ColdStartCalls = coldCalls,
                IdleSeconds = idleSeconds,
                IdleCalls = idleCalls,
                CreationMilliseconds = latencies,
                CreationsMissed = missed,
                RotatedNamespaces = names.Count,
                RotationSeconds = rotationSeconds,
                RotationCorrect = rotCorrect,
                RotationCalls = rotationCalls,
                PeakRssMiB = peak,
            };
        }

        /// <summary>Polls the watch's view until every namespace holds <paramref name="auth"/> or the deadline passes;
        /// returns how many did and when the last of them got it.</summary>
        private static async Task<(int Correct, long LastAt)> WaitAllAsync(TargetWatch targets, List<string> names, string auth, TimeSpan deadline, Task watchTask, ChildProcess webhook, CancellationToken cancellationToken)
        {
            var until = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
            var lastLog = Stopwatch.GetTimestamp();
            while (true)
            {
                var (correct, last) = targets.Count(names, auth);
                if (correct == names.Count || Stopwatch.GetTimestamp() > until || watchTask.IsCompleted)
                {
                    if (watchTask.IsFaulted)
                    {
                        await watchTask;
                    }

                    return (correct, last == 0 ? Stopwatch.GetTimestamp() : last);
                }

                EnsureRunning(webhook);
                if (Stopwatch.GetElapsedTime(lastLog) > TimeSpan.FromSeconds(10))
                {
                    Log($"  {correct}/{names.Count}");
                    lastLog = Stopwatch.GetTimestamp();
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }

        private static async Task<long?> WaitOneAsync(TargetWatch targets, string ns, string auth, TimeSpan deadline, ChildProcess webhook, CancellationToken cancellationToken)
        {
            var until = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < until)
            {
                EnsureRunning(webhook);
                if (targets.Targets.TryGetValue(ns, out var seen) && seen.Auth == auth)
                {
                    return seen.SeenAt;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(2), cancellationToken);
            }

            return null;
        }

        /// <summary>A webhook that exits mid-run (killed from outside, crashed) ends the run at once instead of at the
        /// phase's deadline.</summary>
        private static void EnsureRunning(ChildProcess webhook)
        {
            if (webhook.HasExited)
            {
                throw new InvalidOperationException("the webhook exited during the run; see webhook.log");
            }
        }

        /// <summary>The webhook's own calls in the request log (ours carry another user agent).</summary>
        private static PhaseCalls Calls(IReadOnlyList<LoggedRequest> log)
        {
            var mine = log.Where(e => e.UserAgent?.StartsWith("pullsecret-webhook", StringComparison.Ordinal) == true).ToList();
            return new PhaseCalls(
                mine.Count,
                mine.Count(e => e.IsWrite),
                mine.Count(e => e.IsWrite && e.Resource == "secrets"),
                mine.Count(e => e.Resource == "leases"));
        }

        private static void Log(string message) => Console.Error.WriteLine($"[reconciler-bench] {message}");
    }

    /// <summary>Samples the webhook's RSS every 250 ms; VmHWM alone is the peak too, this also catches it if the process
    /// dies first.</summary>
    internal sealed class MemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public MemorySampler(ChildProcess process) =>
            _timer = new Timer(_ =>
            {
                if (process.Memory() is { } m)
                {
                    Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), Math.Max(m.Current, m.Peak)));
                }
            }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));

        public long PeakBytes => Interlocked.Read(ref _peak);

        public void Dispose() => _timer.Dispose();
    }
}

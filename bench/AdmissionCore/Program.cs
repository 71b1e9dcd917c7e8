using System.Globalization;
using AdmissionCore.Benchmarks;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// usage: AdmissionCore.Benchmarks [--quick] [--metrics] [--artifacts DIR]
// Runs in process (no generated project to build), then writes core.tsv: method, mean ns, median ns, bytes per op.
// --metrics runs MetricsRecordingBenchmarks (the per-review cost of recording metrics) instead, into metrics.tsv.
var quick = args.Contains("--quick");
var metrics = args.Contains("--metrics");
var artifactsIndex = Array.IndexOf(args, "--artifacts");
var artifacts = artifactsIndex >= 0 && artifactsIndex + 1 < args.Length ? args[artifactsIndex + 1] : Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");

var job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
var config = DefaultConfig.Instance
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithArtifactsPath(artifacts)
    .WithOptions(ConfigOptions.DisableLogFile);
if (quick && !metrics)
{
    // The quick mode keeps bench/all.sh --quick under two minutes: the figure with targets and its own stages only.
    string[] headline = [nameof(AdmissionCoreBenchmarks.ReadDecidePatchWrite), nameof(AdmissionCoreBenchmarks.Scan),
        nameof(AdmissionCoreBenchmarks.DecideAndBuildPatch), nameof(AdmissionCoreBenchmarks.WriteResponse)];
    config = config.AddFilter(new NameFilter(name => headline.Contains(name)));
}
var summary = metrics ? BenchmarkRunner.Run<MetricsRecordingBenchmarks>(config) : BenchmarkRunner.Run<AdmissionCoreBenchmarks>(config);

var lines = new List<string> { "method\tmean_ns\tmedian_ns\tallocated_bytes" };
foreach (var report in summary.Reports)
{
    var stats = report.ResultStatistics;
    var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
    lines.Add(string.Join('\t',
        report.BenchmarkCase.Descriptor.WorkloadMethod.Name,
        stats is null ? "n/a" : stats.Mean.ToString("F1", CultureInfo.InvariantCulture),
        stats is null ? "n/a" : stats.Median.ToString("F1", CultureInfo.InvariantCulture),
        allocated?.ToString(CultureInfo.InvariantCulture) ?? "n/a"));
}

Directory.CreateDirectory(artifacts);
await File.WriteAllLinesAsync(Path.Combine(artifacts, metrics ? "metrics.tsv" : "core.tsv"), lines);
return summary.Reports.All(r => r.Success) ? 0 : 1;

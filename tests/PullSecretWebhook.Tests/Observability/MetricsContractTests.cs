using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Admission;
using PullSecretWebhook.CredentialChecks;
using PullSecretWebhook.Observability;
using PullSecretWebhook.Reconciliation;
using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Observability;

/// <summary>The README's metrics table is the contract: every instrument of the product, recorded once through its
/// own methods and wired by the product's own <c>AddObservability</c>, must come out with exactly the names, types and
/// label sets the table lists, and nothing else; the admission histogram with the buckets it documents.</summary>
public sealed partial class MetricsContractTests
{
    /// <summary>50 µs … 2 s (README, "Metrics").</summary>
    private static readonly string[] AdmissionBuckets =
        ["5e-05", "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2", "+Inf"];

    [Fact]
    public async Task Output_HasExactlyTheReadmeMetrics_WithTheirTypesAndLabels()
    {
        var documented = ReadmeTable();
        var text = await RecordEverythingAndCollectAsync();

        var served = Families(text);

        Assert.Equal(documented.Keys.Order(StringComparer.Ordinal), served.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (type, labels)) in documented)
        {
            Assert.True(served[name].Type == type, $"{name}: README says {type}, served {served[name].Type}");
            Assert.True(served[name].Labels.SetEquals(labels), $"{name}: README labels [{string.Join(',', labels)}], served [{string.Join(',', served[name].Labels)}]");
        }
    }

    [Fact]
    public async Task AdmissionDuration_HasTheDocumentedBuckets()
    {
        var text = await RecordEverythingAndCollectAsync();

        var bounds = text.Split('\n')
            .Select(line => AdmissionBucket().Match(line))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToArray();

        Assert.Equal(
            AdmissionBuckets.Select(b => b == "+Inf" ? double.PositiveInfinity : double.Parse(b, CultureInfo.InvariantCulture)),
            bounds.Select(b => b == "+Inf" ? double.PositiveInfinity : double.Parse(b, CultureInfo.InvariantCulture)));
        Assert.Contains("| `pullsecret_webhook_admission_duration_seconds` | histogram (50 µs … 2 s) |", File.ReadAllText(RepositoryFiles.PathOf("README.md")), StringComparison.Ordinal);
    }

    /// <summary>Every instrument once, through the product's own recording methods (so the tag keys are the
    /// product's), on one host's meter factory.</summary>
    private static async Task<string> RecordEverythingAndCollectAsync()
    {
        await using var services = new ServiceCollection()
            .AddObservability()
            .AddSingleton<ReconcilerMetrics>()
            .AddSingleton<CredentialCheckMetrics>()
            .BuildServiceProvider();
        var webhook = ObservabilityEndpoints.StartExport(services);
        webhook.AdmissionAnswered(AdmissionOutcome.Injected, TimeSpan.FromMilliseconds(1));
        webhook.AdmissionRejected(415);

        var reconciler = services.GetRequiredService<ReconcilerMetrics>();
        reconciler.Reconciled(TargetState.UpToDate, ok: true);
        reconciler.Wrote("create", "secrets");
        reconciler.ApiError("get", "secrets");
        reconciler.Conflict();
        reconciler.Collisions(1);
        reconciler.InvalidSource();
        reconciler.Observe(
            () => [new Measurement<long>(1, new KeyValuePair<string, object?>("state", "UpToDate"))],
            () => 0,
            () => 1.5,
            () => 0);
        reconciler.ObserveHeldSources(() => [new Measurement<long>(0)]);

        var checks = services.GetRequiredService<CredentialCheckMetrics>();
        checks.Checked(CheckResult.Unchecked("not checked yet"));
        checks.Observe(() => [new Measurement<long>(1, new KeyValuePair<string, object?>("verdict", "valid"))]);

        using var stream = new MemoryStream();
        await services.GetRequiredService<PrometheusBridge>().Registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The served families: TYPE, and the label names of their samples (<c>le</c> aside).</summary>
    private static Dictionary<string, (string Type, HashSet<string> Labels)> Families(string text)
    {
        var families = new Dictionary<string, (string Type, HashSet<string> Labels)>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (TypeLine().Match(line) is { Success: true } type)
            {
                families[type.Groups[1].Value] = (type.Groups[2].Value, []);
                continue;
            }

            if (SampleLine().Match(line) is not { Success: true } sample)
            {
                continue;
            }

            var name = sample.Groups[1].Value;
            var family = families.Keys.Single(f => name == f || (families[f].Type == "histogram" && name is var n && (n == f + "_bucket" || n == f + "_sum" || n == f + "_count")));
            foreach (Match label in LabelName().Matches(sample.Groups[2].Value))
            {
                if (label.Groups[1].Value != "le")
                {
                    families[family].Labels.Add(label.Groups[1].Value);
                }
            }
        }

        return families;
    }

    /// <summary>The README's table: metric names (several per row share its type, or take the types in order), type,
    /// and the label names, which are the backticked words outside parentheses in the labels column.</summary>
    private static Dictionary<string, (string Type, HashSet<string> Labels)> ReadmeTable()
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("README.md"));
        var section = readme[readme.IndexOf("### Metrics\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n\n", section.IndexOf("| metric |", StringComparison.Ordinal), StringComparison.Ordinal)];
        var table = new Dictionary<string, (string Type, HashSet<string> Labels)>(StringComparer.Ordinal);
        foreach (var row in section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = row.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var names = Backticked().Matches(cells[0]).Select(m => m.Groups[1].Value).ToArray();
            var types = Parenthesised().Replace(cells[1], "").Split(',').Select(t => t.Trim()).ToArray();
            var labels = Backticked().Matches(Parenthesised().Replace(cells[2], "")).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            Assert.True(types.Length == 1 || types.Length == names.Length, row);
            for (var i = 0; i < names.Length; i++)
            {
                table[names[i]] = (types.Length == 1 ? types[0] : types[i], labels);
            }
        }

        Assert.NotEmpty(table);
        return table;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"\([^()]*\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^pullsecret_webhook_admission_duration_seconds_bucket\{.*le=""([^""]+)""\} \d+$")]
    private static partial Regex AdmissionBucket();
}

using System.Globalization;
using System.Text;

namespace ReconcilerBench;

/// <summary>The markdown table of bench/reconciler.sh: each figure, its target, PASS or MISS.</summary>
internal static class Summary
{
    public static string Write(BenchOptions options, BenchResults r)
    {
        var s = new StringBuilder();
        var coldFloor = options.Namespaces / options.Qps;
        var rotationFloor = r.RotatedNamespaces / options.Qps;
        var coldLimit = (1.1 * coldFloor) + 2;
        var rotationLimit = (1.1 * rotationFloor) + 2;
        var sorted = r.CreationMilliseconds.Order().ToList();
        var p50 = Percentile(sorted, 50);
        var p99 = Percentile(sorted, 99);
        var perMinute = 60 / Math.Max(r.IdleSeconds, 1);
        var idleCalls = r.IdleCalls.Calls * perMinute;
        var idleLease = r.IdleCalls.LeaseCalls * perMinute;
        var idleOther = (r.IdleCalls.Calls - r.IdleCalls.LeaseCalls) * perMinute;

        s.AppendLine(Invariant($"| figure ({options.Namespaces:N0} namespaces, Kube:Qps {options.Qps}) | value | target | result |"));
        s.AppendLine("|---|---|---|---|");
        Row(s, $"cold start → all {options.Namespaces:N0} correct, s ({r.ColdStartCorrect:N0} correct)", r.ColdStartSeconds, "F1",
            $"≤ 1.1 × {coldFloor:F1} + 2 = {coldLimit:F1}", r.ColdStartCorrect == options.Namespaces && r.ColdStartSeconds <= coldLimit);
        Row(s, "cold start ÷ floor (namespaces ÷ Qps)", r.ColdStartSeconds / coldFloor, "F2", "", null);
        Row(s, $"source rotation → all {r.RotatedNamespaces:N0} updated, s ({r.RotationCorrect:N0} updated)", r.RotationSeconds, "F1",
            $"≤ 1.1 × {rotationFloor:F1} + 2 = {rotationLimit:F1}", r.RotationCorrect == r.RotatedNamespaces && r.RotationSeconds <= rotationLimit);
        Row(s, "rotation ÷ floor", r.RotationSeconds / rotationFloor, "F2", "", null);
        Row(s, $"new namespace → Secret p50 ms ({sorted.Count} creations, {r.CreationsMissed} missed)", p50, "F0", "", null);
        Row(s, "new namespace → Secret p99 ms", p99, "F0", "≤ 1000", r.CreationsMissed == 0 && p99 <= 1000);
        Row(s, Invariant($"idle {r.IdleSeconds:F0} s: writes, all (of which Secrets: {r.IdleCalls.SecretWrites})"), r.IdleCalls.Writes, "F0", "0", r.IdleCalls.Writes == 0);
        Row(s, "idle: Secret writes", r.IdleCalls.SecretWrites, "F0", "0", r.IdleCalls.SecretWrites == 0);
        Row(s, "idle: API calls per minute, all", idleCalls, "F1", "≤ 2", idleCalls <= 2);
        Row(s, "idle: API calls per minute, Lease (leader election)", idleLease, "F1", "", null);
        Row(s, "idle: API calls per minute, other than Lease", idleOther, "F1", "≤ 2", idleOther <= 2);
        Row(s, "peak RSS MiB (webhook, whole run)", r.PeakRssMiB, "F1", "≤ 200", r.PeakRssMiB <= 200);
        s.AppendLine();
        s.AppendLine(Invariant($"- seeding {options.Namespaces:N0} namespaces through the fake's API: {r.SeedSeconds:F1} s (not measured against a target)"));
        s.AppendLine(Invariant($"- webhook API calls during cold start: {r.ColdStartCalls.Calls} ({r.ColdStartCalls.Writes} writes, {r.ColdStartCalls.SecretWrites} Secret writes, {r.ColdStartCalls.LeaseCalls} Lease calls)"));
        s.AppendLine(Invariant($"- during rotation: {r.RotationCalls.Calls} ({r.RotationCalls.Writes} writes, {r.RotationCalls.SecretWrites} Secret writes, {r.RotationCalls.LeaseCalls} Lease calls)"));
        s.AppendLine(Invariant($"- idle window: {r.IdleCalls.Calls} calls in {r.IdleSeconds:F0} s ({r.IdleCalls.LeaseCalls} Lease, {r.IdleCalls.Writes} writes)"));
        if (options.WebhookSettings.Count > 0)
        {
            s.AppendLine($"- webhook settings: {string.Join(' ', options.WebhookSettings)}");
        }

        return s.ToString();
    }

    private static void Row(StringBuilder s, string figure, double value, string format, string target, bool? pass) =>
        s.AppendLine(Invariant($"| {figure} | {(double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture))} | {target} | {pass switch { true => "PASS", false => "MISS", null => "" }} |"));

    private static double Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

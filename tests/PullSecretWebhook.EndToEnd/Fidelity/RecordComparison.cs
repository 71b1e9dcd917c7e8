using System.Text;

namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>Compares the real server's record of a sequence with the fake's, step by step, and writes both side by
/// side to the test output (so a run documents what each server did, not only whether they agreed).</summary>
internal static class RecordComparison
{
    public static void AssertSame(
        string sequence,
        IReadOnlyList<Observation> real,
        IReadOnlyList<Observation> fake,
        IReadOnlyList<KnownDifference> known,
        ITestOutputHelper output)
    {
        var report = new StringBuilder();
        var problems = new List<string>();
        var used = new HashSet<KnownDifference>();
        for (var i = 0; i < Math.Max(real.Count, fake.Count); i++)
        {
            var r = i < real.Count ? real[i] : null;
            var f = i < fake.Count ? fake[i] : null;
            if (r is null || f is null || r.Step != f.Step)
            {
                problems.Add($"the records diverge at step {i + 1}: real '{r}' / fake '{f}'");
                report.AppendLine($"  !! real: {r}\n     fake: {f}");
                continue;
            }

            if (r.Fact == f.Fact)
            {
                report.AppendLine($"  == {r.Step}: {r.Fact}");
                continue;
            }

            var explained = known.FirstOrDefault(k => k.Sequence == sequence && k.Step == r.Step && k.Real == r.Fact && k.Fake == f.Fact);
            if (explained is not null)
            {
                used.Add(explained);
                report.AppendLine($"  ~~ {r.Step} ({explained.Cause}: {explained.Why})\n     real: {r.Fact}\n     fake: {f.Fact}");
                continue;
            }

            problems.Add($"'{r.Step}' differs:\n     real: {r.Fact}\n     fake: {f.Fact}");
            report.AppendLine($"  !! {r.Step}\n     real: {r.Fact}\n     fake: {f.Fact}");
        }

        foreach (var stale in known.Where(k => k.Sequence == sequence && !used.Contains(k)))
        {
            problems.Add($"the known difference at '{stale.Step}' ({stale.Why}) was not observed as listed; update KnownDifferences");
        }

        output.WriteLine($"{sequence}\n{report}");
        if (problems.Count > 0)
        {
            Assert.Fail($"The fake differs from the real kube-apiserver in \"{sequence}\" (both records are in the test output):\n{string.Join("\n", problems)}");
        }
    }
}

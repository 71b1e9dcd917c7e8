using PullSecretWebhook.EndToEnd.ControlPlane;

namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>Differential fidelity of tests/FakeKubeApiServer: each sequence runs against the real kube-apiserver (in
/// a fresh namespace) and against a fresh fake, and the two normalised records must agree step by step, except for
/// the differences <see cref="KnownDifferences"/> lists with their reasons. Both records are written to the test
/// output, so a run also documents what the real server does.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class FidelityTests(ControlPlaneFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> AllSequences => new(Sequences.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(AllSequences))]
    public async Task TheFakeAnswersAsKubeApiServerDoes(string sequence) =>
        await CompareAsync(fixture.Plane, Sequences.Find(sequence), KnownDifferences.All);

    /// <summary>The shared control plane serves watches from its watch cache, which keeps events past a compaction
    /// (see <see cref="KnownDifferences"/>). Without the cache every watch goes to etcd, and a compacted
    /// resourceVersion meets the 410 head-on — the case the fake's forgotten history stands for.</summary>
    [Fact]
    public async Task WithoutTheWatchCache_AWatchFromACompactedResourceVersionIsExpired_AsOnTheFake()
    {
        await using var plane = await KubeControlPlane.StartAsync(new ControlPlaneOptions { WatchCache = false });
        await CompareAsync(plane, Sequences.Find(Sequences.WatchAfterCompaction), []);
    }

    private async Task CompareAsync(KubeControlPlane plane, Sequence sequence, IReadOnlyList<KnownDifference> known)
    {
        var ns = $"fid-{Guid.NewGuid():N}"[..16];
        IReadOnlyList<Observation> real;
        await using (var target = await FidelityTarget.RealAsync(plane, ns))
        {
            var probe = new Probe(target);
            await sequence.Script(probe);
            real = probe.Record;
        }

        IReadOnlyList<Observation> fake;
        await using (var target = await FidelityTarget.FakeAsync(ns))
        {
            var probe = new Probe(target);
            await sequence.Script(probe);
            fake = probe.Record;
        }

        RecordComparison.AssertSame(sequence.Name, real, fake, known, output);
    }
}

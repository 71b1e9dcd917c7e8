namespace PullSecretWebhook.Tests.Hardening.Support;

/// <summary>Tests that measure the managed heap run alone: the heap is the whole test process's, so another test
/// class allocating in parallel would be counted as this one's growth (seen as a rare "kept growing" failure when
/// the machine was loaded).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasuringTests
{
    public const string Name = "heap-measuring tests (run alone)";
}

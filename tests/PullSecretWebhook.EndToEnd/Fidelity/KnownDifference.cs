namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>Why a difference between the real server and the fake is accepted.</summary>
internal enum DifferenceCause
{
    /// <summary>The real server here is kube-apiserver 1.20; the fake follows 1.32, and the behaviour changed in
    /// between. On a 1.32 server the two would agree.</summary>
    VersionDependent,

    /// <summary>How the real server is set up (its watch cache, its controllers), not what the API promises.</summary>
    ServerSetup,

    /// <summary>Something the fake does not model; written down in tests/FakeKubeApiServer/README.md.</summary>
    NotModelled,
}

/// <summary>One accepted difference: in <paramref name="Sequence"/> at <paramref name="Step"/>, the real server's fact
/// is exactly <paramref name="Real"/> and the fake's exactly <paramref name="Fake"/>. Anything else there still fails,
/// and an entry that no longer matches what the servers do fails too, so the list stays true.</summary>
internal sealed record KnownDifference(string Sequence, string Step, string Real, string Fake, DifferenceCause Cause, string Why);

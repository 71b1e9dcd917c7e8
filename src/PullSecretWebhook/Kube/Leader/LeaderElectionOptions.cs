namespace PullSecretWebhook.Kube.Leader;

/// <summary>
/// Settings of leader election (section <c>LeaderElection</c>). Defaults are client-go's
/// (15 s / 10 s / 2 s); validated by <see cref="LeaderElectionOptionsValidator"/>.
/// </summary>
internal sealed class LeaderElectionOptions
{
    public const string SectionName = "LeaderElection";

    /// <summary>Off: every replica writes (only sensible with one replica).</summary>
    public bool Enabled { get; set; } = true;

    public string LeaseName { get; set; } = "pullsecret-webhook";

    /// <summary>Namespace of the Lease; default the server's own namespace.</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>How long followers wait, after last seeing the lease change, before taking it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives leadership up.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between attempts to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
}

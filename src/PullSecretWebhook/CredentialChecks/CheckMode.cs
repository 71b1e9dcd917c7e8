namespace PullSecretWebhook.CredentialChecks;

/// <summary><c>CredentialChecks:Mode</c>.</summary>
internal enum CheckMode
{
    /// <summary>No registry traffic at all (the default: a check talks to registries outside the cluster).</summary>
    Off,

    /// <summary>The Lease holder checks every distinct exported credential.</summary>
    On,
}

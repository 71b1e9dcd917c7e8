namespace PullSecretWebhook.CredentialChecks;

/// <summary>What a check found (README, "Credential checks").</summary>
internal enum CredentialVerdict
{
    /// <summary>Not checked (yet, or cannot be: a wildcard key, an unsupported scheme, checks off, not the leader).</summary>
    Unchecked,

    /// <summary>The registry accepted the credential (and served the probe image's manifest, if one is set).</summary>
    Valid,

    /// <summary>The registry or its token service answered 401/403 to the credential.</summary>
    Rejected,

    /// <summary>The check could not complete: DNS, TCP, TLS, timeout, or an answer that is not the protocol.</summary>
    Unreachable,

    /// <summary>Logged in, but the probe image's manifest was not found or not allowed.</summary>
    ProbeFailed,
}

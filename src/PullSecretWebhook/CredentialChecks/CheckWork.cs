namespace PullSecretWebhook.CredentialChecks;

/// <summary>Why a credential is being checked.</summary>
internal enum CheckTrigger
{
    /// <summary>Leadership started (the first check of every credential).</summary>
    Start,

    /// <summary>A source holding the credential was created or changed.</summary>
    SourceChanged,

    /// <summary><c>CredentialChecks:Interval</c> passed.</summary>
    Interval,
}

/// <summary>One queued check: the credential and why.</summary>
internal sealed record CheckWork(CheckTarget Target, CheckTrigger Trigger);

namespace PullSecretWebhook.Reconciliation.ServiceAccounts;

/// <summary><c>ServiceAccounts:Mode</c>: whether the reconciler also adds the target to ServiceAccounts. The webhook
/// is the primary mechanism (it reaches every Pod at creation); this is a fallback for Pods admitted while the webhook
/// was unreachable (failurePolicy: Ignore), which the ServiceAccount admission plugin then fills from the account.</summary>
internal enum ServiceAccountMode
{
    /// <summary>ServiceAccounts are never touched.</summary>
    Off,

    /// <summary>The <c>default</c> ServiceAccount of each selected namespace.</summary>
    Default,

    /// <summary>Every ServiceAccount of each selected namespace.</summary>
    All,
}

namespace PullSecretWebhook.Reconciliation.ServiceAccounts;

/// <summary>Settings section <c>ServiceAccounts</c>.</summary>
internal sealed class ServiceAccountOptions
{
    public const string Section = "ServiceAccounts";

    public ServiceAccountMode Mode { get; set; } = ServiceAccountMode.Off;
}

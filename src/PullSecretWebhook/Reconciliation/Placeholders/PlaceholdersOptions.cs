namespace PullSecretWebhook.Reconciliation.Placeholders;

/// <summary>Settings section <c>Placeholders</c> (README, "Coming from secretgen-controller").</summary>
internal sealed class PlaceholdersOptions
{
    public const string Section = "Placeholders";

    /// <summary><c>Placeholders:Enabled</c>: fill secretgen-controller placeholder Secrets with the namespace's merged
    /// credentials. Off by default: it watches every <c>kubernetes.io/dockerconfigjson</c> Secret of the cluster (an
    /// annotation cannot be selected on, the type can), which the product otherwise never needs; and where
    /// secretgen-controller runs, two controllers filling the same Secrets would fight over them.</summary>
    public bool Enabled { get; set; }
}

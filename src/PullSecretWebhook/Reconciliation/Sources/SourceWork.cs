namespace PullSecretWebhook.Reconciliation.Sources;

/// <summary>One exported Secret whose problems are to be reported.</summary>
internal readonly record struct SourceWork(string Namespace, string Name)
{
    public override string ToString() => $"source {Namespace}/{Name}";
}

namespace PullSecretWebhook.Admission;

/// <summary>The answer without a cluster connection: nothing is known, so the webhook injects everywhere that is
/// not excluded by name or by the Pod's own label.</summary>
internal sealed class UnknownNamespaceFacts : INamespaceFactsSource
{
    public NamespaceFacts Get(string namespaceName) => NamespaceFacts.Unknown;
}

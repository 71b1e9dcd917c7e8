namespace PullSecretWebhook.Admission;

/// <summary>The seam through which the reconciler's informer caches answer the webhook. Implementations must be
/// in-memory lookups: this runs on the admission path, which makes no API calls.</summary>
internal interface INamespaceFactsSource
{
    NamespaceFacts Get(string namespaceName);
}

using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.Admission;

/// <summary>The seam through which the reconciler's informer caches answer the webhook. Implementations must be
/// in-memory lookups: this runs on the admission path, which makes no API calls.</summary>
internal interface INamespaceFactsSource
{
    NamespaceFacts Get(string namespaceName);

    /// <summary>The kubelet's keyring over the credentials exported to the namespace (what its target Secret holds
    /// when in sync), for <see cref="InjectionMode.MatchingRegistries"/>; null when unknown (no cluster, caches not
    /// synced, namespace not seen yet), and the webhook then injects.</summary>
    RegistryKeyring? ExportedKeyring(string namespaceName) => null;
}

using PullSecretWebhook.Admission;
using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.Reconciliation.Caches;

/// <summary>The webhook's view of the cluster caches: namespace facts from <see cref="ClusterCaches"/>, exported
/// credentials from <see cref="ExportedKeyrings"/>. In-memory only.</summary>
internal sealed class CachedNamespaceFacts(ClusterCaches caches, ExportedKeyrings keyrings) : INamespaceFactsSource
{
    public NamespaceFacts Get(string namespaceName) => caches.Facts(namespaceName);

    public RegistryKeyring? ExportedKeyring(string namespaceName) => keyrings.For(namespaceName);
}

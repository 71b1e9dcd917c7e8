namespace PullSecretWebhook.Credentials;

/// <summary>One credential the kubelet would try for an image.</summary>
/// <param name="Key">The normalised key it was indexed under (<c>https://index.docker.io/v1/</c> is indexed as
/// <c>index.docker.io</c>).</param>
/// <param name="Entry">The entry as written, under its own key.</param>
/// <param name="ViaDockerHubFallback">Found by the kubelet's Docker Hub fallback rather than by matching the key.</param>
internal sealed record KeyringMatch(string Key, RegistryEntry Entry, bool ViaDockerHubFallback);

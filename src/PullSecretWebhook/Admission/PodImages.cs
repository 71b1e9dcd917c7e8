using System.Text.Json;
using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.Admission;

/// <summary>The images a Pod spec pulls: its containers, init containers and ephemeral containers.</summary>
internal static class PodImages
{
    /// <summary>True when the kubelet would try a credential of <paramref name="keyring"/> for any image of the spec.</summary>
    public static bool AnyMatches(JsonElement spec, RegistryKeyring keyring) =>
        spec.ValueKind == JsonValueKind.Object && AnyMatches(PodFacts.ImagesOf(spec), keyring);

    /// <summary>True when the kubelet would try a credential of <paramref name="keyring"/> for any of the images.</summary>
    public static bool AnyMatches(IReadOnlyList<string> images, RegistryKeyring keyring)
    {
        if (keyring.IsEmpty)
        {
            return false;
        }

        foreach (var image in images)
        {
            if (keyring.Matches(image))
            {
                return true;
            }
        }

        return false;
    }
}

using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.Admission;

/// <summary>Whether any image a Pod pulls (<see cref="PodFacts.Images"/>) is one a keyring has credentials for.</summary>
internal static class PodImages
{
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

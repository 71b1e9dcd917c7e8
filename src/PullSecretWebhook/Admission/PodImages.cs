using System.Text.Json;
using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.Admission;

/// <summary>The images a Pod spec pulls: its containers, init containers and ephemeral containers.</summary>
internal static class PodImages
{
    private static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    /// <summary>True when the kubelet would try a credential of <paramref name="keyring"/> for any image of the spec.
    /// Reads the request's own elements; allocates only what parsing an image needs.</summary>
    public static bool AnyMatches(JsonElement spec, RegistryKeyring keyring)
    {
        if (spec.ValueKind != JsonValueKind.Object || keyring.IsEmpty)
        {
            return false;
        }

        foreach (var list in ContainerLists)
        {
            if (!spec.TryGetProperty(list, out var containers) || containers.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var container in containers.EnumerateArray())
            {
                if (AdmissionReviewReader.GetString(container, "image") is { } image && keyring.Matches(image))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

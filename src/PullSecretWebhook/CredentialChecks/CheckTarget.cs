using System.Text.Json.Nodes;
using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.CredentialChecks;

/// <summary>One distinct credential to check: a registry key with its identity (username and password, or an
/// identity token) and the probe image that applies to it. Equal targets are checked once, however many sources and
/// namespaces carry them. <see cref="ToString"/> never shows the secret parts.</summary>
internal sealed record CheckTarget(string Key, RegistryEndpoint Endpoint, string Username, string Password, string? IdentityToken, ProbeImage? Probe)
{
    /// <summary>The target of <paramref name="entry"/>, with <paramref name="probeImage"/> when the kubelet would use
    /// this key for that image; false with the reason when the key cannot be checked.</summary>
    public static bool TryCreate(RegistryEntry entry, string? probeImage, out CheckTarget target, out string problem)
    {
        target = null!;
        if (!RegistryEndpoint.TryParse(entry.Key, out var endpoint, out problem))
        {
            return false;
        }

        var identityToken = entry.Raw["identitytoken"] is JsonValue value && value.TryGetValue<string>(out var token) && token.Length > 0 ? token : null;
        if (entry.Username.Length == 0 && entry.Password.Length == 0 && identityToken is null)
        {
            problem = "the entry has no username, password or identity token";
            return false;
        }

        target = new CheckTarget(entry.Key, endpoint, entry.Username, entry.Password, identityToken, ProbeImage.For(entry, probeImage));
        return true;
    }

    public override string ToString() => $"{Key} (user {Username}){(Probe is null ? "" : $", probe {Probe}")}";
}

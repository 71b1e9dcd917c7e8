using PullSecretWebhook.Credentials;

namespace PullSecretWebhook.CredentialChecks;

/// <summary>The image whose manifest a check fetches (annotation <c>pullsecret-webhook.io/probe-image</c>): its
/// repository path within the registry and its tag or digest.</summary>
internal sealed record ProbeImage(string Image, string Repository, string Reference)
{
    public const string Annotation = Selection.WellKnown.Prefix + "probe-image";

    /// <summary>The probe for <paramref name="entry"/>: only when the kubelet would use this key for the image, so a
    /// source with keys for several registries (or path-scoped keys) probes only where the image lives.</summary>
    public static ProbeImage? For(RegistryEntry entry, string? image)
    {
        if (string.IsNullOrWhiteSpace(image) || !ImageName.TryParse(image.Trim(), out var name, out _))
        {
            return null;
        }

        if (new RegistryKeyring([entry]).LookupImage(image.Trim(), out _, out _).Count == 0)
        {
            return null;
        }

        var slash = name.Repository.IndexOf('/', StringComparison.Ordinal);
        return new ProbeImage(image.Trim(), name.Repository[(slash + 1)..], name.Digest.Length > 0 ? name.Digest : name.Tag);
    }

    public override string ToString() => Image;
}

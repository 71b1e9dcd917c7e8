using System.Globalization;
using k8s.Models;

namespace PullSecretWebhook.Kube;

/// <summary>The Kubernetes release an API server runs, as far as API fields depend on it: major and minor.</summary>
internal readonly record struct KubernetesVersion(int Major, int Minor)
{
    public bool IsAtLeast(KubernetesVersion other) => Major > other.Major || (Major == other.Major && Minor >= other.Minor);

    public override string ToString() => $"{Major}.{Minor}";

    /// <summary>From <c>major</c>/<c>minor</c>, whose leading digits count ("20+" is 20); from <c>gitVersion</c>
    /// ("v1.20.2-eks-…") when those are empty, as some distributions leave them. A build without version stamps
    /// reports v0.0.0-master, which names no release.</summary>
    public static bool TryParse(VersionInfo info, out KubernetesVersion version)
    {
        ArgumentNullException.ThrowIfNull(info);
        var parts = (info.GitVersion ?? string.Empty).TrimStart('v').Split('.');
        version = LeadingNumber(info.Major) is { } major && LeadingNumber(info.Minor) is { } minor
            ? new KubernetesVersion(major, minor)
            : parts.Length >= 2 && LeadingNumber(parts[0]) is { } gitMajor && LeadingNumber(parts[1]) is { } gitMinor
                ? new KubernetesVersion(gitMajor, gitMinor)
                : default;
        return version.Major > 0;
    }

    private static int? LeadingNumber(string? text)
    {
        var digits = text?.TakeWhile(char.IsAsciiDigit).Count() ?? 0;
        return digits > 0 && int.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}

using PullSecretWebhook.Kube;
using k8s.Models;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>The release read from <c>/version</c> as servers and distributions report it.</summary>
public sealed class KubernetesVersionTests
{
    [Theory]
    [InlineData("1", "32", "v1.32.0", 1, 32)]
    [InlineData("1", "20+", "v1.20.2-gke.1000", 1, 20)]
    [InlineData("", "", "v1.27.3-eks-a5565ad", 1, 27)]
    [InlineData(null, null, "1.21.0", 1, 21)]
    [InlineData("1", "", "v1.28.1", 1, 28)]
    public void TryParse_ReportedVersion_ReadsMajorAndMinor(string? major, string? minor, string gitVersion, int expectedMajor, int expectedMinor)
    {
        Assert.True(KubernetesVersion.TryParse(new VersionInfo { Major = major, Minor = minor, GitVersion = gitVersion }, out var version));

        Assert.Equal(new KubernetesVersion(expectedMajor, expectedMinor), version);
    }

    [Theory]
    [InlineData("", "", "")]
    [InlineData(null, null, null)]
    [InlineData("", "", "v0.0.0-master+$Format:%H$")]
    [InlineData("one", "x", "vNext")]
    [InlineData("0", "0", "v0.0.0-master+$Format:%H$")]
    public void TryParse_NoRelease_IsFalse(string? major, string? minor, string? gitVersion)
    {
        var parsed = KubernetesVersion.TryParse(new VersionInfo { Major = major, Minor = minor, GitVersion = gitVersion }, out _);

        Assert.False(parsed);
    }

    [Theory]
    [InlineData(1, 28, true)]
    [InlineData(1, 32, true)]
    [InlineData(2, 0, true)]
    [InlineData(1, 27, false)]
    [InlineData(0, 99, false)]
    public void IsAtLeast_Comparison_FollowsMajorThenMinor(int major, int minor, bool expected)
    {
        Assert.Equal(expected, new KubernetesVersion(major, minor).IsAtLeast(new KubernetesVersion(1, 28)));
    }
}

using PullSecretWebhook.Kube;
using PullSecretWebhook.Registration;

namespace PullSecretWebhook.Tests.Registration;

/// <summary>Which fields the registration writes, by setting and server version.</summary>
public sealed class ServerSupportTests
{
    [Theory]
    [InlineData(null, 28, true)]
    [InlineData(null, 32, true)]
    [InlineData(null, 27, false)]
    [InlineData(null, 20, false)]
    [InlineData(true, 20, true)]
    [InlineData(false, 32, false)]
    public void IncludesMatchConditions_SettingAndVersion_FollowsSettingElseTheDefaultFrom128(bool? setting, int minor, bool expected)
    {
        var server = new ServerSupport(new KubernetesVersion(1, minor), $"v1.{minor}.0", null);

        Assert.Equal(expected, server.IncludesMatchConditions(setting));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void IncludesMatchConditions_UnknownVersion_LeavesThemOutUnlessForced(bool? setting, bool expected)
    {
        var server = new ServerSupport(null, "(version unknown: 500)", "500");

        Assert.Equal(expected, server.IncludesMatchConditions(setting));
    }

    [Theory]
    [InlineData(20, false)]
    [InlineData(21, true)]
    public void LabelsNamespacesByName_Version_IsTrueFrom121(int minor, bool expected)
    {
        Assert.Equal(expected, new ServerSupport(new KubernetesVersion(1, minor), $"v1.{minor}.0", null).LabelsNamespacesByName);
    }

    [Fact]
    public void LabelsNamespacesByName_UnknownVersion_IsNotSuspected()
    {
        Assert.True(new ServerSupport(null, "(version unknown: 500)", "500").LabelsNamespacesByName);
    }
}

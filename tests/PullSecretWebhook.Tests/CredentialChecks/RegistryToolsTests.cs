using PullSecretWebhook.Tests.CredentialChecks.Support;

namespace PullSecretWebhook.Tests.CredentialChecks;

/// <summary>A registry test without its tools fails, saying what to install; it never skips.</summary>
public sealed class RegistryToolsTests
{
    [Fact]
    public void Require_ToolNotInstalled_FailsNamingWhatToInstall()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RegistryTools.Require("psw-no-such-registry-tool"));

        Assert.Contains("apt-get install -y docker-registry skopeo apache2-utils", error.Message, StringComparison.Ordinal);
        Assert.Contains(".ci/run", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RegistryTools.Registry)]
    [InlineData(RegistryTools.Skopeo)]
    [InlineData(RegistryTools.Htpasswd)]
    public void Require_InstalledTool_ReturnsAnExistingPath(string tool)
    {
        Assert.True(File.Exists(RegistryTools.Require(tool)));
    }
}

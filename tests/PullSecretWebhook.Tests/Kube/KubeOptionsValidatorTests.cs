using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Leader;

namespace PullSecretWebhook.Tests.Kube;

public sealed class KubeOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new KubeOptionsValidator().Validate(null, new KubeOptions()).Succeeded);
        Assert.True(new LeaderElectionOptionsValidator().Validate(null, new LeaderElectionOptions()).Succeeded);
    }

    [Theory]
    [InlineData("qps", "Kube:Qps must be > 0")]
    [InlineData("burst", "Kube:Burst must be >= 1")]
    [InlineData("timeout", "Kube:Timeout must be > 0")]
    [InlineData("retries", "Kube:MaxRetries must be >= 0")]
    [InlineData("maxdelay", "Kube:RetryMaxDelay must be >= Kube:RetryBaseDelay")]
    public void Validate_BadKubeSetting_NamesIt(string field, string expected)
    {
        var options = new KubeOptions();
        switch (field)
        {
            case "qps": options.Qps = 0; break;
            case "burst": options.Burst = 0; break;
            case "timeout": options.Timeout = TimeSpan.Zero; break;
            case "retries": options.MaxRetries = -1; break;
            case "maxdelay": options.RetryMaxDelay = TimeSpan.FromMilliseconds(1); break;
        }

        var result = new KubeOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(15, 10, 2, null)]
    [InlineData(10, 10, 2, "LeaderElection:LeaseDuration must be > LeaderElection:RenewDeadline")]
    [InlineData(15, 2, 2, "LeaderElection:RenewDeadline must be > 1.2 x LeaderElection:RetryPeriod")]
    [InlineData(15, 10, 0, "LeaderElection:RetryPeriod must be > 0")]
    public void Validate_LeaderElectionDurations_FollowClientGoRules(int lease, int renew, int retry, string? expected)
    {
        var options = new LeaderElectionOptions
        {
            LeaseDuration = TimeSpan.FromSeconds(lease),
            RenewDeadline = TimeSpan.FromSeconds(renew),
            RetryPeriod = TimeSpan.FromSeconds(retry),
        };

        var result = new LeaderElectionOptionsValidator().Validate(null, options);

        if (expected is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        }
    }
}

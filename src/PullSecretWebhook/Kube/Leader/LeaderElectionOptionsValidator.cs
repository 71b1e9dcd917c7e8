using Microsoft.Extensions.Options;

namespace PullSecretWebhook.Kube.Leader;

/// <summary>The same constraints client-go's leaderelection.NewLeaderElector enforces, with setting names.</summary>
internal sealed class LeaderElectionOptionsValidator : IValidateOptions<LeaderElectionOptions>
{
    /// <summary>client-go's JitterFactor: retries may come up to 20 % late.</summary>
    private const double JitterFactor = 1.2;

    public ValidateOptionsResult Validate(string? name, LeaderElectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.LeaseName))
        {
            errors.Add("LeaderElection:LeaseName must not be empty");
        }

        if (options.RetryPeriod <= TimeSpan.Zero)
        {
            errors.Add($"LeaderElection:RetryPeriod must be > 0 (got {options.RetryPeriod})");
        }

        if (options.RenewDeadline <= options.RetryPeriod * JitterFactor)
        {
            errors.Add($"LeaderElection:RenewDeadline must be > {JitterFactor} x LeaderElection:RetryPeriod (got {options.RenewDeadline} and {options.RetryPeriod})");
        }

        if (options.LeaseDuration <= options.RenewDeadline)
        {
            errors.Add($"LeaderElection:LeaseDuration must be > LeaderElection:RenewDeadline (got {options.LeaseDuration} and {options.RenewDeadline})");
        }

        if (options.LeaseDuration.TotalSeconds < 1)
        {
            errors.Add($"LeaderElection:LeaseDuration must be at least 1 second, the Lease's resolution (got {options.LeaseDuration})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

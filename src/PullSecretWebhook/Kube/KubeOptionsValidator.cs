using Microsoft.Extensions.Options;

namespace PullSecretWebhook.Kube;

/// <summary>Stops start-up on a bad <c>Kube</c> setting, naming it.</summary>
internal sealed class KubeOptionsValidator : IValidateOptions<KubeOptions>
{
    public ValidateOptionsResult Validate(string? name, KubeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!(options.Qps > 0) || double.IsInfinity(options.Qps))
        {
            errors.Add($"Kube:Qps must be > 0 (got {options.Qps})");
        }

        if (options.Burst < 1)
        {
            errors.Add($"Kube:Burst must be >= 1 (got {options.Burst})");
        }

        if (options.WatchTimeout < TimeSpan.FromSeconds(1) || options.WatchTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"Kube:WatchTimeout must be between 00:00:01 and 01:00:00 (got {options.WatchTimeout})");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add($"Kube:Timeout must be > 0 (got {options.Timeout})");
        }

        if (options.MaxRetries < 0)
        {
            errors.Add($"Kube:MaxRetries must be >= 0 (got {options.MaxRetries})");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero)
        {
            errors.Add($"Kube:RetryBaseDelay must be > 0 (got {options.RetryBaseDelay})");
        }

        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add($"Kube:RetryMaxDelay must be >= Kube:RetryBaseDelay (got {options.RetryMaxDelay} < {options.RetryBaseDelay})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

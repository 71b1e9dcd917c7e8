using Microsoft.Extensions.Options;

namespace PullSecretWebhook.Hosting;

internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
    {
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            return ValidateOptionsResult.Fail("Shutdown:Timeout must be between 00:00:00 (exclusive) and 00:10:00.");
        }

        return options.DrainDelay < TimeSpan.Zero || options.DrainDelay >= options.Timeout
            ? ValidateOptionsResult.Fail("Shutdown:DrainDelay must not be negative and must be shorter than Shutdown:Timeout.")
            : ValidateOptionsResult.Success;
    }
}

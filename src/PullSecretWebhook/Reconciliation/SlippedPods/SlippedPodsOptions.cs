using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.Reconciliation.SlippedPods;

/// <summary>Settings section <c>SlippedPods</c>: the scan for Pods created while the webhook was unreachable.</summary>
internal sealed class SlippedPodsOptions : IValidatableObject
{
    public const string Section = "SlippedPods";

    /// <summary><c>SlippedPods:Interval</c>: time between scans (the first runs one interval after leadership
    /// starts); <c>00:00:00</c> turns the scan off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary><c>SlippedPods:PageSize</c>: Pods per list call; the client's rate limit paces the pages.</summary>
    [InRange(10, 5000, ErrorMessage = "SlippedPods:PageSize must be between 10 and 5000.")]
    public int PageSize { get; set; } = 500;

    public bool Enabled => Interval > TimeSpan.Zero;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Interval < TimeSpan.Zero || (Interval > TimeSpan.Zero && Interval < TimeSpan.FromSeconds(10)))
        {
            yield return new ValidationResult("SlippedPods:Interval must be 00:00:00 (off) or at least 00:00:10.", [nameof(Interval)]);
        }
    }
}

/// <summary><see cref="SlippedPodsOptions"/>'s validation attributes and <see cref="IValidatableObject.Validate"/>,
/// checked by code generated at build time (<see cref="Hosting.OptionsValidation"/>).</summary>
[OptionsValidator]
internal sealed partial class SlippedPodsOptionsValidator : IValidateOptions<SlippedPodsOptions>;

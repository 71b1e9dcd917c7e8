using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.Reconciliation;

/// <summary>Settings section <c>Reconciler</c>.</summary>
internal sealed class ReconcilerOptions : IValidatableObject
{
    public const string Section = "Reconciler";

    /// <summary><c>Reconciler:Concurrency</c>: namespaces reconciled at once.</summary>
    [InRange(1, 64, ErrorMessage = "Reconciler:Concurrency must be between 1 and 64.")]
    public int Concurrency { get; set; } = 4;

    /// <summary><c>Reconciler:ResyncPeriod</c>: how often every namespace is re-checked against the caches. A
    /// resync that finds everything in sync makes no API call.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>Reconciler:RetryBaseDelay</c>: first retry delay of a failed namespace; doubles per failure.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Reconciler:RetryMaxDelay</c>: cap of the per-namespace retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>Reconciler:EventInterval</c>: the same Event (object, reason, message) is posted at most once per
    /// interval, so a persistent problem does not flood the namespace's events.</summary>
    public TimeSpan EventInterval { get; set; } = TimeSpan.FromMinutes(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ResyncPeriod < TimeSpan.FromSeconds(10))
        {
            yield return new ValidationResult("Reconciler:ResyncPeriod must be at least 00:00:10.", [nameof(ResyncPeriod)]);
        }

        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("Reconciler:RetryBaseDelay must be positive and Reconciler:RetryMaxDelay at least as long.", [nameof(RetryBaseDelay), nameof(RetryMaxDelay)]);
        }

        if (EventInterval < TimeSpan.Zero)
        {
            yield return new ValidationResult("Reconciler:EventInterval must not be negative.", [nameof(EventInterval)]);
        }
    }
}

/// <summary><see cref="ReconcilerOptions"/>'s validation attributes and <see cref="IValidatableObject.Validate"/>,
/// checked by code generated at build time (<see cref="Hosting.OptionsValidation"/>).</summary>
[OptionsValidator]
internal sealed partial class ReconcilerOptionsValidator : IValidateOptions<ReconcilerOptions>;

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.EndpointAccess;

/// <summary>Settings of section <c>Observability</c> that decide who reads <c>/status</c> and <c>/metrics</c> (README,
/// "Who may read /status and /metrics").</summary>
internal sealed class EndpointAccessOptions : IValidatableObject
{
    public const string Section = "Observability";

    /// <summary><c>Observability:Authorization</c>; unset: <see cref="EndpointAuthorization.Kubernetes"/> when connected
    /// to a cluster, <see cref="EndpointAuthorization.None"/> without one.</summary>
    public EndpointAuthorization? Authorization { get; set; }

    /// <summary><c>Observability:AuthorizationCacheDuration</c>: how long a review's answer (authenticated or not,
    /// allowed or not) is reused for the same token.</summary>
    public TimeSpan AuthorizationCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>Observability:AuthorizationCacheSize</c>: answers kept at most (tokens and token/path pairs).</summary>
    [InRange(1, 100_000, ErrorMessage = "Observability:AuthorizationCacheSize must be between 1 and 100000.")]
    public int AuthorizationCacheSize { get; set; } = 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AuthorizationCacheDuration < TimeSpan.FromSeconds(1) || AuthorizationCacheDuration > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Observability:AuthorizationCacheDuration must be between 00:00:01 and 01:00:00.", [nameof(AuthorizationCacheDuration)]);
        }
    }
}

/// <summary><see cref="EndpointAccessOptions"/>'s validation attributes and <see cref="IValidatableObject.Validate"/>,
/// checked by code generated at build time (<see cref="Hosting.OptionsValidation"/>).</summary>
[OptionsValidator]
internal sealed partial class EndpointAccessOptionsValidator : IValidateOptions<EndpointAccessOptions>;

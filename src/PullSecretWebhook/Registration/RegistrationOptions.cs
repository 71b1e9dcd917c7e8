using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Registration;

/// <summary>Settings section <c>Registration</c>: the server's own MutatingWebhookConfiguration.</summary>
internal sealed class RegistrationOptions
{
    public const string Section = "Registration";

    /// <summary><c>Registration:Enabled</c>: unset means true when running in a cluster (see
    /// <see cref="Certificates.ClusterPresence"/>), false outside one.</summary>
    public bool? Enabled { get; set; }

    /// <summary><c>Registration:Name</c>: the MutatingWebhookConfiguration's name.</summary>
    [RegularExpression(KubernetesNames.Dns1123SubdomainPattern, ErrorMessage = "Registration:Name must be a DNS-1123 subdomain.")]
    [StringLength(253, ErrorMessage = "Registration:Name must be at most 253 characters.")]
    public string Name { get; set; } = "pullsecret-webhook";

    /// <summary><c>Registration:TimeoutSeconds</c>: how long the API server waits for the webhook before ignoring it
    /// (<c>failurePolicy: Ignore</c>). Short, because every Pod creation waits that long when the webhook is down.</summary>
    [InRange(1, 30, ErrorMessage = "Registration:TimeoutSeconds must be between 1 and 30 (the API server's limits).")]
    public int TimeoutSeconds { get; set; } = 2;

    /// <summary><c>Registration:MatchConditions</c>: CEL conditions that spare the API server a call for mirror Pods
    /// and Pods already referencing the target. Unset: written when the server's <c>/version</c> is 1.28 or later,
    /// where they are on by default (older servers drop the field, or reject it); true or false forces the choice,
    /// true being for a 1.27 server with the feature gate on.</summary>
    public bool? MatchConditions { get; set; }
}

/// <summary><see cref="RegistrationOptions"/>'s validation attributes,
/// checked by code generated at build time (<see cref="Hosting.OptionsValidation"/>).</summary>
[OptionsValidator]
internal sealed partial class RegistrationOptionsValidator : IValidateOptions<RegistrationOptions>;

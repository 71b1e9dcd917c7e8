using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PullSecretWebhook.Selection;

/// <summary>Settings section <c>Target</c>: the Secret every selected namespace gets and every Pod references.</summary>
internal sealed class TargetOptions
{
    public const string Section = "Target";

    /// <summary><c>Target:SecretName</c>: a DNS-1123 subdomain, as the API server requires for Secret names.</summary>
    [Required]
    [RegularExpression(KubernetesNames.Dns1123SubdomainPattern, ErrorMessage = "Target:SecretName must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters).")]
    [StringLength(253)]
    public string SecretName { get; set; } = "pullsecret-webhook";

    /// <summary><c>Target:AdoptAnnotated</c>: <c>key=value</c>; a Secret named like the target that carries this
    /// annotation is handed over as if annotated <c>pullsecret-webhook.io/adopt: "true"</c> — for migrating from a tool
    /// that marks its Secrets, e.g. imagepullsecret-patcher's <c>app.kubernetes.io/managed-by=imagepullsecret-patcher</c>.
    /// Unset (the default): only the adopt annotation hands a Secret over.</summary>
    [RegularExpression(@"^\s*[^=\s]+\s*=.*$", ErrorMessage = "Target:AdoptAnnotated must be key=value (an annotation and its value).")]
    public string? AdoptAnnotated { get; set; }

    public AnnotationMatch? AdoptMarker => AnnotationMatch.TryParse(AdoptAnnotated, out var match) ? match : null;
}

/// <summary><see cref="TargetOptions"/>'s validation attributes,
/// checked by code generated at build time (<see cref="Hosting.OptionsValidation"/>).</summary>
[OptionsValidator]
internal sealed partial class TargetOptionsValidator : IValidateOptions<TargetOptions>;

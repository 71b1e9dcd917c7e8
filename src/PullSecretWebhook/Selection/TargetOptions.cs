using System.ComponentModel.DataAnnotations;

namespace PullSecretWebhook.Selection;

/// <summary>Settings section <c>Target</c>: the Secret every selected namespace gets and every Pod references.</summary>
internal sealed class TargetOptions
{
    public const string Section = "Target";

    /// <summary><c>Target:SecretName</c>: a DNS-1123 subdomain, as the API server requires for Secret names.</summary>
    [Required]
    [RegularExpression(KubernetesNames.Dns1123SubdomainPattern, ErrorMessage = "Target:SecretName must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters).")]
    [MaxLength(253)]
    public string SecretName { get; set; } = "pullsecret-webhook";
}

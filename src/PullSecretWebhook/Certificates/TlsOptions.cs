using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Certificates;

/// <summary>Settings section <c>Tls</c>.</summary>
internal sealed class TlsOptions : IValidatableObject
{
    public const string Section = "Tls";

    public TlsMode Mode { get; set; } = TlsMode.Auto;

    /// <summary><c>Tls:CertFile</c>: PEM certificate, optionally followed by its intermediates (<c>tls.crt</c>).</summary>
    public string? CertFile { get; set; }

    /// <summary><c>Tls:KeyFile</c>: PEM private key, PKCS#1, PKCS#8 or SEC1 (<c>tls.key</c>).</summary>
    public string? KeyFile { get; set; }

    /// <summary><c>Tls:CaFile</c>: the CA bundle registration puts in <c>caBundle</c> in <c>Files</c> mode; default the
    /// <c>ca.crt</c> beside <see cref="CertFile"/> when there is one (cert-manager writes it there).</summary>
    public string? CaFile { get; set; }

    /// <summary><c>Tls:ReloadInterval</c>: how often the files are checked even without a change notification
    /// (inotify does not see every kind of volume update, so polling is the safety net).</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Tls:ServiceName</c>: the Service in front of the webhook; its DNS names are the certificate's SANs
    /// in <c>SelfManaged</c> mode and registration points the API server at it.</summary>
    [RegularExpression(KubernetesNames.Dns1123LabelPattern, ErrorMessage = "Tls:ServiceName must be a DNS-1123 label (lowercase letters, digits and '-').")]
    [StringLength(63, ErrorMessage = "Tls:ServiceName must be at most 63 characters.")]
    public string ServiceName { get; set; } = "pullsecret-webhook";

    /// <summary><c>Tls:SecretName</c>: the <c>kubernetes.io/tls</c> Secret in the server's namespace that holds the
    /// self-managed CA and serving certificate.</summary>
    [RegularExpression(KubernetesNames.Dns1123SubdomainPattern, ErrorMessage = "Tls:SecretName must be a DNS-1123 subdomain.")]
    [StringLength(253, ErrorMessage = "Tls:SecretName must be at most 253 characters.")]
    public string SecretName { get; set; } = "pullsecret-webhook-tls";

    /// <summary><c>Tls:RenewBefore</c>: a self-managed certificate (or CA) is replaced this long before it expires.</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromDays(30);

    /// <summary><c>Tls:CertificateValidity</c>: lifetime of a self-managed serving certificate.</summary>
    public TimeSpan CertificateValidity { get; set; } = TimeSpan.FromDays(365);

    /// <summary><c>Tls:CaValidity</c>: lifetime of a self-managed CA.</summary>
    public TimeSpan CaValidity { get; set; } = TimeSpan.FromDays(3650);

    /// <summary><c>Tls:SecretPollInterval</c>: how often each replica re-reads the TLS Secret, to pick up a renewal
    /// made by another replica and to renew on time.</summary>
    public TimeSpan SecretPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The mode after resolving <see cref="TlsMode.Auto"/>; <paramref name="inCluster"/> comes from
    /// <see cref="ClusterPresence"/>.</summary>
    public TlsMode Resolve(bool inCluster) => Mode switch
    {
        TlsMode.Auto when HasFiles => TlsMode.Files,
        TlsMode.Auto when inCluster => TlsMode.SelfManaged,
        TlsMode.Auto => TlsMode.Development,
        var explicitMode => explicitMode,
    };

    private bool HasFiles => !string.IsNullOrEmpty(CertFile) || !string.IsNullOrEmpty(KeyFile);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if ((Mode == TlsMode.Files || (Mode == TlsMode.Auto && HasFiles)) && (string.IsNullOrWhiteSpace(CertFile) || string.IsNullOrWhiteSpace(KeyFile)))
        {
            yield return new ValidationResult(
                "Tls:CertFile and Tls:KeyFile must both be set to use certificate files.",
                [nameof(CertFile), nameof(KeyFile)]);
        }

        if (ReloadInterval < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Tls:ReloadInterval must be at least 00:00:01.", [nameof(ReloadInterval)]);
        }

        if (SecretPollInterval < TimeSpan.FromSeconds(1) || SecretPollInterval > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Tls:SecretPollInterval must be between 00:00:01 and 01:00:00.", [nameof(SecretPollInterval)]);
        }

        // The previous CA stays trusted until it expires, i.e. for RenewBefore after a CA rotation; every replica must
        // poll (several times) within that overlap, and a new certificate must not be due for renewal at once.
        if (RenewBefore < SecretPollInterval * 10 || RenewBefore * 2 > CertificateValidity || CaValidity < CertificateValidity)
        {
            yield return new ValidationResult(
                "Tls:RenewBefore must be at least ten times Tls:SecretPollInterval and at most half of Tls:CertificateValidity, and Tls:CaValidity at least Tls:CertificateValidity.",
                [nameof(RenewBefore), nameof(CertificateValidity), nameof(CaValidity)]);
        }
    }
}

/// <summary><see cref="TlsOptions"/>'s validation attributes and <see cref="IValidatableObject.Validate"/>,
/// checked by code generated at build time (<see cref="Hosting.OptionsValidation"/>).</summary>
[OptionsValidator]
internal sealed partial class TlsOptionsValidator : IValidateOptions<TlsOptions>;

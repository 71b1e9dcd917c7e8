using System.ComponentModel.DataAnnotations;

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

    /// <summary><c>Tls:ReloadInterval</c>: how often the files are checked even without a change notification
    /// (inotify does not see every kind of volume update, so polling is the safety net).</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The mode after resolving <see cref="TlsMode.Auto"/>.</summary>
    public TlsMode EffectiveMode => Mode switch
    {
        TlsMode.Auto when !string.IsNullOrEmpty(CertFile) || !string.IsNullOrEmpty(KeyFile) => TlsMode.Files,
        TlsMode.Auto => TlsMode.Development,
        var explicitMode => explicitMode,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EffectiveMode == TlsMode.Files && (string.IsNullOrWhiteSpace(CertFile) || string.IsNullOrWhiteSpace(KeyFile)))
        {
            yield return new ValidationResult(
                "Tls:CertFile and Tls:KeyFile must both be set to use certificate files.",
                [nameof(CertFile), nameof(KeyFile)]);
        }

        if (ReloadInterval < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Tls:ReloadInterval must be at least 00:00:01.", [nameof(ReloadInterval)]);
        }
    }
}

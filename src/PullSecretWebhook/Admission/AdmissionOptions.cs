using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.Admission;

/// <summary>Settings section <c>Admission</c>: the transport limits of <c>POST /mutate</c>.</summary>
internal sealed class AdmissionOptions
{
    public const string Section = "Admission";

    /// <summary><c>Admission:MaxRequestBodyBytes</c>: larger bodies get 413. The API server's own request limit is
    /// 3 MiB of object; an AdmissionReview carries the object (and for updates the old one) plus an envelope, so
    /// 8 MiB leaves room without letting a client make us buffer arbitrary amounts.</summary>
    [InRange(1024, 256L * 1024 * 1024, ErrorMessage = "Admission:MaxRequestBodyBytes must be between 1024 and 268435456.")]
    public long MaxRequestBodyBytes { get; set; } = 8L * 1024 * 1024;
}

/// <summary><see cref="AdmissionOptions"/>'s validation attributes,
/// checked by code generated at build time (<see cref="Hosting.OptionsValidation"/>).</summary>
[OptionsValidator]
internal sealed partial class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>;

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.CredentialChecks;

/// <summary>Settings section <c>CredentialChecks</c> (README, "Credential checks").</summary>
internal sealed class CredentialChecksOptions : IValidatableObject
{
    public const string Section = "CredentialChecks";

    /// <summary>Largest registry or token-service answer read. A /v2/ answer or a token is well under 16 KiB; anything
    /// bigger is not a registry speaking the protocol, and must not cost us memory.</summary>
    public const int MaxAnswerBytes = 64 * 1024;

    /// <summary><c>CredentialChecks:Mode</c>: <c>Off</c> (default) or <c>On</c>.</summary>
    public CheckMode Mode { get; set; } = CheckMode.Off;

    /// <summary><c>CredentialChecks:Interval</c>: time between two checks of the same credential when nothing changes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>CredentialChecks:Timeout</c>: the whole check of one credential (every request of it), after which
    /// the verdict is <c>Unreachable</c>.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary><c>CredentialChecks:Concurrency</c>: credentials checked at once.</summary>
    [InRange(1, 16, ErrorMessage = "CredentialChecks:Concurrency must be between 1 and 16.")]
    public int Concurrency { get; set; } = 2;

    /// <summary><c>CredentialChecks:CaBundleFile</c>: PEM certificates trusted for registries besides the system's.</summary>
    public string? CaBundleFile { get; set; }

    /// <summary><c>CredentialChecks:ExpiryWarning</c>: how long before a JWT credential's <c>exp</c> the
    /// <c>CredentialExpiring</c> Event is posted.</summary>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromDays(7);

    public bool Enabled => Mode == CheckMode.On;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Mode))
        {
            yield return new ValidationResult("CredentialChecks:Mode must be Off or On.", [nameof(Mode)]);
        }

        // The floor keeps a misconfiguration from hammering registries (and being rate-limited by them).
        if (Interval < TimeSpan.FromSeconds(5))
        {
            yield return new ValidationResult("CredentialChecks:Interval must be at least 00:00:05.", [nameof(Interval)]);
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(2))
        {
            yield return new ValidationResult("CredentialChecks:Timeout must be positive and at most 00:02:00.", [nameof(Timeout)]);
        }

        if (ExpiryWarning < TimeSpan.Zero)
        {
            yield return new ValidationResult("CredentialChecks:ExpiryWarning must not be negative.", [nameof(ExpiryWarning)]);
        }

        if (Enabled && !string.IsNullOrEmpty(CaBundleFile) && BundleProblem(CaBundleFile) is { } problem)
        {
            yield return new ValidationResult($"CredentialChecks:CaBundleFile: {problem}.", [nameof(CaBundleFile)]);
        }
    }

    private static string? BundleProblem(string path)
    {
        if (!File.Exists(path))
        {
            return $"file {path} does not exist";
        }

        try
        {
            var bundle = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            bundle.ImportFromPemFile(path);
            return bundle.Count == 0 ? $"file {path} holds no PEM certificate" : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return $"file {path} is not a PEM certificate bundle";
        }
    }
}

/// <summary><see cref="CredentialChecksOptions"/>'s validation attributes and <see cref="IValidatableObject.Validate"/>,
/// checked by code generated at build time (<see cref="Hosting.OptionsValidation"/>).</summary>
[OptionsValidator]
internal sealed partial class CredentialChecksOptionsValidator : IValidateOptions<CredentialChecksOptions>;

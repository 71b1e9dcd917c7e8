using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.Tests.Hosting;

/// <summary>Settings are validated by validators generated at build time (<see cref="OptionsValidatorAttribute"/>), so
/// that the Native AOT image checks them as the JIT build does; ranges use <see cref="InRangeAttribute"/>.</summary>
public sealed partial class OptionsValidationTests
{
    internal sealed class Sample
    {
        [Range(1, 64, ErrorMessage = "Sample:Library must be between 1 and 64.")]
        public int Library { get; set; } = 1;

        [InRange(1, 64, ErrorMessage = "Sample:Ours must be between 1 and 64.")]
        public int Ours { get; set; } = 1;

        [InRange(1024, 256L * 1024 * 1024)]
        public long Large { get; set; } = 1024;
    }

    [OptionsValidator]
    internal sealed partial class SampleValidator : IValidateOptions<Sample>;

    [Fact]
    public void GeneratedRange_IgnoresItsErrorMessage_WhichIsWhyTheSettingsUseInRange()
    {
        var result = new SampleValidator().Validate(null, new Sample { Library = 0 });

        // The library's behaviour, the reason for InRangeAttribute: when this fails, the generator honours
        // ErrorMessage and [Range] can come back.
        Assert.True(result.Failed);
        Assert.DoesNotContain("Sample:Library must be between 1 and 64.", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("The field Sample.Library must be between 1 and 64.", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void InRange_BoundsAreInclusive_AndTheFailureNamesTheSetting(int value, bool valid)
    {
        var result = new SampleValidator().Validate(null, new Sample { Ours = value });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Sample:Ours must be between 1 and 64.", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1023L, false)]
    [InlineData(256L * 1024 * 1024, true)]
    [InlineData((256L * 1024 * 1024) + 1, false)]
    public void InRange_TakesLongValues_AndWithoutAMessageSaysTheBounds(long value, bool valid)
    {
        var result = new SampleValidator().Validate(null, new Sample { Large = value });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("must be between 1024 and 268435456.", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}

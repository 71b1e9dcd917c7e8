using Microsoft.Extensions.Options;

namespace PullSecretWebhook.Selection;

/// <summary>Each <c>ExcludedNamespaceAnnotations</c> entry must be <c>key=value</c>: a malformed one would exclude
/// nothing, silently.</summary>
internal sealed class NamespaceOptionsValidator : IValidateOptions<NamespaceOptions>
{
    public ValidateOptionsResult Validate(string? name, NamespaceOptions options)
    {
        var failures = options.ExcludedNamespaceAnnotations
            .Select((entry, i) => (entry, i))
            .Where(e => !AnnotationMatch.TryParse(e.entry, out _))
            .Select(e => $"ExcludedNamespaceAnnotations:{e.i} '{e.entry}' must be key=value")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Reconciliation;

/// <summary>Checks <c>Sources:Secrets</c> at start-up: every entry names a Secret in a source namespace, and its scope
/// parses (a typo must never widen where credentials go).</summary>
internal sealed class SourcesOptionsValidator(KubeEnvironment environment) : IValidateOptions<SourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, SourcesOptions options)
    {
        var sourceNamespaces = options.EffectiveNamespaces(environment.OwnNamespace);
        var failures = new List<string>();
        for (var i = 0; i < options.Secrets.Length; i++)
        {
            var entry = options.Secrets[i];
            var prefix = $"Sources:Secrets:{i}";
            if (!Regex.IsMatch(entry.Name, KubernetesNames.Dns1123SubdomainPattern) || entry.Name.Length > 253)
            {
                failures.Add($"{prefix}:Name '{entry.Name}' is not a Secret name (a DNS-1123 subdomain)");
            }

            if (!sourceNamespaces.Contains(entry.Namespace))
            {
                failures.Add($"{prefix}:Namespace '{entry.Namespace}' is not a source namespace ({string.Join(", ", sourceNamespaces.Order(StringComparer.Ordinal))}); only Secrets there can be exported");
            }

            if (entry.HasScope && !ExportScope.TryParse(ScopeAnnotations(entry), out _, out var problem))
            {
                failures.Add($"{prefix}: {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The entry's scope as the annotations it stands for.</summary>
    public static Dictionary<string, string> ScopeAnnotations(NamedSourceOptions entry)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (entry.ToNamespaces is { } names)
        {
            annotations[WellKnown.ToNamespacesAnnotation] = names;
        }

        if (entry.ToNamespaceSelector is { } selector)
        {
            annotations[WellKnown.ToNamespaceSelectorAnnotation] = selector;
        }

        return annotations;
    }
}

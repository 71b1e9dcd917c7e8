using System.Text.RegularExpressions;

namespace PullSecretWebhook.Selection;

/// <summary>Where a source Secret is exported to (README, "Exporting credentials"): its <c>to-namespaces</c> annotation
/// (a comma list of names and <c>*</c> globs; absent means <c>*</c>) and its <c>to-namespace-selector</c> annotation (a
/// label selector; absent means everything). A namespace must match both.</summary>
internal sealed class ExportScope
{
    private readonly Regex[] _namePatterns;
    private readonly LabelSelector _selector;

    private ExportScope(Regex[] namePatterns, LabelSelector selector)
    {
        _namePatterns = namePatterns;
        _selector = selector;
    }

    public static ExportScope Everywhere { get; } = new([Glob("*")], LabelSelector.Everything);

    public bool Includes(string namespaceName, IReadOnlyDictionary<string, string>? namespaceLabels) =>
        IncludesName(namespaceName) && _selector.Matches(namespaceLabels);

    /// <summary>The <c>to-namespaces</c> half alone (for explaining which half excludes a namespace).</summary>
    public bool IncludesName(string namespaceName) => _namePatterns.Any(p => p.IsMatch(namespaceName));

    /// <summary>Reads the scope from a source's annotations. An unparsable annotation makes the whole source invalid:
    /// a typo must never widen where credentials go.</summary>
    public static bool TryParse(IReadOnlyDictionary<string, string>? annotations, out ExportScope scope, out string problem)
    {
        scope = Everywhere;
        problem = "";
        var names = annotations?.GetValueOrDefault(WellKnown.ToNamespacesAnnotation);
        var selectorText = annotations?.GetValueOrDefault(WellKnown.ToNamespaceSelectorAnnotation);

        var patterns = new List<Regex>();
        foreach (var item in (names ?? "*").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!IsValidPattern(item))
            {
                problem = $"{WellKnown.ToNamespacesAnnotation}: '{item}' is not a namespace name or '*' glob";
                return false;
            }

            patterns.Add(Glob(item));
        }

        var selector = LabelSelector.Everything;
        if (selectorText is not null && !LabelSelector.TryParse(selectorText, out selector, out var selectorProblem))
        {
            problem = $"{WellKnown.ToNamespaceSelectorAnnotation}: {selectorProblem}";
            return false;
        }

        // An annotation present but empty lists no namespace: the source goes nowhere (explicit, and safe).
        scope = new ExportScope([.. patterns], selector);
        return true;
    }

    private static bool IsValidPattern(string pattern) =>
        pattern.Length <= 63 && pattern.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '*');

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
}

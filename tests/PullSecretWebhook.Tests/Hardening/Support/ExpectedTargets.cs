using System.Text.RegularExpressions;

namespace PullSecretWebhook.Tests.Hardening.Support;

/// <summary>The desired state the README states ("Exporting credentials"), computed by the test on its own from what it
/// put in the store: for each namespace, the registry keys of its target and the <c>auth</c> each must hold, or null
/// for no managed target.</summary>
internal sealed class ExpectedTargets(string sourceNamespace)
{
    private static readonly HashSet<string> AlwaysExcluded = new(StringComparer.Ordinal) { "kube-system", "kube-public", "kube-node-lease" };

    /// <summary>Source name → (registry → auth, scope: null for every namespace, else a comma list of names and globs).</summary>
    public SortedDictionary<string, (Dictionary<string, string> Auths, string? Scope)> Sources { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, bool> OptedOut { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string>? For(string ns)
    {
        if (AlwaysExcluded.Contains(ns) || ns == sourceNamespace || OptedOut.GetValueOrDefault(ns))
        {
            return null;
        }

        // Sorted by namespace/name (all in one namespace here): the first source holding a key wins it.
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, (auths, scope)) in Sources)
        {
            if (scope is not null && !scope.Split(',').Any(p => Glob(p.Trim()).IsMatch(ns)))
            {
                continue;
            }

            foreach (var (registry, auth) in auths)
            {
                merged.TryAdd(registry, auth);
            }
        }

        return merged.Count == 0 ? null : merged;
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}

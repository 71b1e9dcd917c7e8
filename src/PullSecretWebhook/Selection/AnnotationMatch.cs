namespace PullSecretWebhook.Selection;

/// <summary>A <c>key=value</c> annotation test, as settings write it (<c>Target:AdoptAnnotated</c>,
/// <c>ExcludedNamespaceAnnotations</c>): the key present with exactly that value.</summary>
internal sealed record AnnotationMatch(string Key, string Value)
{
    public static bool TryParse(string? text, out AnnotationMatch? match)
    {
        match = null;
        var separator = text?.IndexOf('=', StringComparison.Ordinal) ?? -1;
        if (separator <= 0)
        {
            return false;
        }

        var key = text![..separator].Trim();
        if (key.Length == 0 || key.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        match = new AnnotationMatch(key, text[(separator + 1)..].Trim());
        return true;
    }

    public bool Matches(IReadOnlyDictionary<string, string>? annotations) =>
        annotations is not null && annotations.TryGetValue(Key, out var value) && value == Value;

    public override string ToString() => $"{Key}={Value}";
}

using System.Globalization;

namespace FakeKubeApiServer.Selectors;

/// <summary>One comma-separated term of a label selector.</summary>
internal sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    /// <summary>
    /// Matches as labels.Requirement.Matches does: <c>!=</c> and <c>notin</c> also match objects
    /// that lack the key; <c>gt</c>/<c>lt</c> need an integer value.
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Equals or LabelOperator.In => present && Values.Contains(value!, StringComparer.Ordinal),
            LabelOperator.NotEquals or LabelOperator.NotIn => !present || !Values.Contains(value!, StringComparer.Ordinal),
            LabelOperator.Exists => present,
            LabelOperator.DoesNotExist => !present,
            LabelOperator.GreaterThan => present && Compare(value!, Values[0]) > 0,
            LabelOperator.LessThan => present && Compare(value!, Values[0]) < 0,
            _ => false,
        };
    }

    private static int Compare(string actual, string bound) =>
        long.TryParse(actual, NumberStyles.Integer, CultureInfo.InvariantCulture, out var a)
        && long.TryParse(bound, NumberStyles.Integer, CultureInfo.InvariantCulture, out var b)
            ? a.CompareTo(b)
            : 0;
}

using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace PullSecretWebhook.Selection;

/// <summary>A Kubernetes label selector in its string form (k8s.io/apimachinery/pkg/labels): comma-separated
/// requirements <c>key</c>, <c>!key</c>, <c>key=v</c>, <c>key==v</c>, <c>key!=v</c>, <c>key in (a,b)</c>,
/// <c>key notin (a,b)</c>, <c>key&gt;1</c>, <c>key&lt;1</c>; all must hold. The empty selector matches everything.</summary>
internal sealed partial class LabelSelector
{
    private static readonly IReadOnlySet<string> NoValues = FrozenSet<string>.Empty;
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses a selector; on failure <paramref name="problem"/> says what is wrong and where.</summary>
    public static bool TryParse(string text, out LabelSelector selector, out string problem)
    {
        selector = Everything;
        problem = "";
        var requirements = new List<Requirement>();
        var position = 0;
        SkipSpaces(text, ref position);
        while (position < text.Length)
        {
            if (!TryParseRequirement(text, ref position, out var requirement, out problem))
            {
                return false;
            }

            requirements.Add(requirement);
            SkipSpaces(text, ref position);
            if (position < text.Length)
            {
                if (text[position] != ',')
                {
                    problem = $"expected ',' at position {position + 1}";
                    return false;
                }

                position++;
                SkipSpaces(text, ref position);
                if (position == text.Length)
                {
                    problem = "a requirement is missing after the last ','";
                    return false;
                }
            }
        }

        selector = new LabelSelector(requirements);
        return true;
    }

    public override string ToString() => string.Join(',', _requirements);

    private static bool TryParseRequirement(string text, ref int position, out Requirement requirement, out string problem)
    {
        requirement = null!;
        var negated = text[position] == '!';
        if (negated)
        {
            position++;
            SkipSpaces(text, ref position);
        }

        var key = ReadToken(text, ref position);
        if (!IsValidKey(key))
        {
            problem = key.Length == 0 ? $"a label key is expected at position {position + 1}" : $"'{key}' is not a valid label key";
            return false;
        }

        SkipSpaces(text, ref position);
        if (negated)
        {
            requirement = new Requirement(key, Operator.DoesNotExist, NoValues);
            problem = "";
            return true;
        }

        if (position >= text.Length || text[position] == ',')
        {
            requirement = new Requirement(key, Operator.Exists, NoValues);
            problem = "";
            return true;
        }

        var op = ReadOperator(text, ref position);
        SkipSpaces(text, ref position);
        switch (op)
        {
            case Operator.In or Operator.NotIn:
                return TryReadSet(text, ref position, key, op.Value, out requirement, out problem);
            case Operator.Equals or Operator.NotEquals or Operator.GreaterThan or Operator.LessThan:
                var value = ReadToken(text, ref position);
                if (!IsValidValue(value) || (op is Operator.GreaterThan or Operator.LessThan && !long.TryParse(value, out _)))
                {
                    problem = $"'{value}' is not a valid value for '{key}'";
                    return false;
                }

                requirement = new Requirement(key, op.Value, new HashSet<string>(StringComparer.Ordinal) { value });
                problem = "";
                return true;
            default:
                problem = $"an operator (=, ==, !=, in, notin, >, <) is expected after '{key}'";
                return false;
        }
    }

    private static bool TryReadSet(string text, ref int position, string key, Operator op, out Requirement requirement, out string problem)
    {
        requirement = null!;
        if (position >= text.Length || text[position] != '(')
        {
            problem = $"'(' is expected after '{key} {(op == Operator.In ? "in" : "notin")}'";
            return false;
        }

        var close = text.IndexOf(')', position);
        if (close < 0)
        {
            problem = $"')' is missing for '{key}'";
            return false;
        }

        var values = text[(position + 1)..close].Split(',', StringSplitOptions.TrimEntries);
        if (values.Any(v => !IsValidValue(v)) || (values.Length == 1 && values[0].Length == 0))
        {
            problem = $"the values of '{key}' are not valid label values";
            return false;
        }

        position = close + 1;
        requirement = new Requirement(key, op, values.ToFrozenSet(StringComparer.Ordinal));
        problem = "";
        return true;
    }

    private static Operator? ReadOperator(string text, ref int position)
    {
        var rest = text.AsSpan(position);
        (Operator? op, int length) = rest switch
        {
            _ when rest.StartsWith("==") => (Operator.Equals, 2),
            _ when rest.StartsWith("!=") => (Operator.NotEquals, 2),
            _ when rest.StartsWith("=") => (Operator.Equals, 1),
            _ when rest.StartsWith(">") => (Operator.GreaterThan, 1),
            _ when rest.StartsWith("<") => (Operator.LessThan, 1),
            _ when IsWord(rest, "notin") => (Operator.NotIn, 5),
            _ when IsWord(rest, "in") => (Operator.In, 2),
            _ => ((Operator?)null, 0),
        };
        position += length;
        return op;
    }

    private static bool IsWord(ReadOnlySpan<char> rest, string word) =>
        rest.StartsWith(word, StringComparison.Ordinal) && (rest.Length == word.Length || rest[word.Length] is ' ' or '(');

    private static string ReadToken(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && text[position] is not (' ' or ',' or '=' or '!' or '(' or ')' or '<' or '>'))
        {
            position++;
        }

        return text[start..position];
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    /// <summary>Qualified name with an optional DNS-subdomain prefix (k8s.io/apimachinery IsQualifiedName).</summary>
    private static bool IsValidKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        var prefix = slash < 0 ? null : key[..slash];
        return name.Length is > 0 and <= 63 && NamePart().IsMatch(name)
            && (prefix is null || (prefix.Length is > 0 and <= 253 && Regex.IsMatch(prefix, KubernetesNames.Dns1123SubdomainPattern)));
    }

    private static bool IsValidValue(string value) => value.Length == 0 || (value.Length <= 63 && NamePart().IsMatch(value));

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex NamePart();

    private enum Operator
    {
        Exists,
        DoesNotExist,
        Equals,
        NotEquals,
        In,
        NotIn,
        GreaterThan,
        LessThan,
    }

    private sealed record Requirement(string Key, Operator Op, IReadOnlySet<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string>? labels)
        {
            string? value = null;
            var has = labels is not null && labels.TryGetValue(Key, out value);
            return Op switch
            {
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                Operator.Equals or Operator.In => has && Values.Contains(value!),
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value!),
                Operator.GreaterThan => has && long.TryParse(value, out var g) && g > long.Parse(Values.First(), System.Globalization.CultureInfo.InvariantCulture),
                Operator.LessThan => has && long.TryParse(value, out var l) && l < long.Parse(Values.First(), System.Globalization.CultureInfo.InvariantCulture),
                _ => false,
            };
        }

        public override string ToString() => Op switch
        {
            Operator.Exists => Key,
            Operator.DoesNotExist => "!" + Key,
            Operator.Equals => $"{Key}={Values.First()}",
            Operator.NotEquals => $"{Key}!={Values.First()}",
            Operator.In => $"{Key} in ({string.Join(',', Values.Order(StringComparer.Ordinal))})",
            Operator.NotIn => $"{Key} notin ({string.Join(',', Values.Order(StringComparer.Ordinal))})",
            Operator.GreaterThan => $"{Key}>{Values.First()}",
            _ => $"{Key}<{Values.First()}",
        };
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FakeKubeApiServer.Http;

namespace FakeKubeApiServer.Selectors;

/// <summary>
/// A parsed <c>labelSelector</c> query parameter, with the grammar of
/// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors :
/// <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>
/// (and <c>k&gt;n</c>, <c>k&lt;n</c>), comma-separated and ANDed.
/// </summary>
internal sealed partial class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    private readonly IReadOnlyList<LabelRequirement> _requirements;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => _requirements = requirements;

    public bool IsEmpty => _requirements.Count == 0;

    public IReadOnlyList<LabelRequirement> Requirements => _requirements;

    /// <summary>Parses a selector; a syntax error is the 400 BadRequest the real server answers.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var parser = new Parser(text);
        try
        {
            return new LabelSelector(parser.ParseAll());
        }
        catch (FormatException e)
        {
            throw Status.BadRequest($"unable to parse requirement: {e.Message}");
        }
    }

    public bool Matches(JsonObject obj) => Matches(LabelsOf(obj));

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r.Matches(labels));

    public static IReadOnlyDictionary<string, string> LabelsOf(JsonObject obj)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"] is JsonObject { } metadata && metadata["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    result[key] = s;
                }
            }
        }

        return result;
    }

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelKeyRegex();

    private sealed class Parser(string text)
    {
        private int _pos;

        public List<LabelRequirement> ParseAll()
        {
            var result = new List<LabelRequirement>();
            while (true)
            {
                SkipSpaces();
                if (_pos >= text.Length)
                {
                    throw new FormatException("found '', expected: identifier");
                }

                result.Add(ParseRequirement());
                SkipSpaces();
                if (_pos >= text.Length)
                {
                    return result;
                }

                Expect(',');
            }
        }

        private LabelRequirement ParseRequirement()
        {
            if (Peek() == '!' && PeekAt(1) != '=')
            {
                _pos++;
                SkipSpaces();
                return new LabelRequirement(ReadKey(), LabelOperator.DoesNotExist, []);
            }

            var key = ReadKey();
            SkipSpaces();
            if (_pos >= text.Length || Peek() == ',')
            {
                return new LabelRequirement(key, LabelOperator.Exists, []);
            }

            if (TryConsume("==") || TryConsume("="))
            {
                return new LabelRequirement(key, LabelOperator.Equals, [ReadValue()]);
            }

            if (TryConsume("!="))
            {
                return new LabelRequirement(key, LabelOperator.NotEquals, [ReadValue()]);
            }

            if (TryConsume(">"))
            {
                return new LabelRequirement(key, LabelOperator.GreaterThan, [ReadInteger()]);
            }

            if (TryConsume("<"))
            {
                return new LabelRequirement(key, LabelOperator.LessThan, [ReadInteger()]);
            }

            var word = ReadWord();
            var op = word switch
            {
                "in" => LabelOperator.In,
                "notin" => LabelOperator.NotIn,
                _ => throw new FormatException($"found '{word}', expected: in, notin, =, ==, !=, gt, lt"),
            };
            SkipSpaces();
            Expect('(');
            var close = text.IndexOf(')', _pos);
            if (close < 0)
            {
                throw new FormatException("found '', expected: ',', or ')'");
            }

            var values = text[_pos..close].Split(',').Select(v => v.Trim()).ToList();
            _pos = close + 1;
            values.ForEach(CheckValue);
            return new LabelRequirement(key, op, values);
        }

        private string ReadKey()
        {
            var key = ReadWord();
            if (key.Length == 0 || key.Length > 316 || !LabelKeyRegex().IsMatch(key))
            {
                throw new FormatException($"invalid label key \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
            }

            return key;
        }

        private string ReadValue()
        {
            SkipSpaces();
            var start = _pos;
            while (_pos < text.Length && text[_pos] != ',' && !char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }

            var value = text[start.._pos];
            CheckValue(value);
            return value;
        }

        private string ReadInteger()
        {
            var value = ReadValue();
            return long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _)
                ? value
                : throw new FormatException($"for 'Gt', 'Lt' operators, the value must be an integer");
        }

        private static void CheckValue(string value)
        {
            if (value.Length > 63 || !LabelValueRegex().IsMatch(value))
            {
                throw new FormatException($"invalid label value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
            }
        }

        private string ReadWord()
        {
            var start = _pos;
            while (_pos < text.Length && !char.IsWhiteSpace(text[_pos]) && "=!<>(),".IndexOf(text[_pos], StringComparison.Ordinal) < 0)
            {
                _pos++;
            }

            return text[start.._pos];
        }

        private bool TryConsume(string token)
        {
            if (string.CompareOrdinal(text, _pos, token, 0, token.Length) == 0)
            {
                _pos += token.Length;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new FormatException($"found '{(_pos < text.Length ? text[_pos..] : "")}', expected: '{c}'");
            }

            _pos++;
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private char PeekAt(int offset) => _pos + offset < text.Length ? text[_pos + offset] : '\0';

        private void SkipSpaces()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }
    }
}

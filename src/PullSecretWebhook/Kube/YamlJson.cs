using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PullSecretWebhook.Kube;

/// <summary>Converts between YAML nodes and JSON nodes the way kubectl and client-go read YAML (sigs.k8s.io/yaml, on
/// go-yaml v2): quoted scalars are strings; plain scalars resolve by YAML 1.1 as go-yaml v2 does (yes/no/on/off are
/// booleans, 017 is octal, 0x1F and 1_000 are numbers); mapping keys become their resolved value's text. Strings
/// written back that would resolve to something else are quoted, so that "1.10" or "yes" never turn into a number or a
/// boolean. <c>YamlJsonTests</c> holds this to kubectl itself.</summary>
internal static partial class YamlJson
{
    private const string StringTag = "tag:yaml.org,2002:str";

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToObject(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Value(scalar),
        _ => null,
    };

    public static YamlNode ToYaml(JsonNode? node) => node switch
    {
        JsonObject obj => new YamlMappingNode(obj.Select(p => new KeyValuePair<YamlNode, YamlNode>(StringNode(p.Key), ToYaml(p.Value)))),
        JsonArray array => new YamlSequenceNode(array.Select(ToYaml)),
        null => new YamlScalarNode("null"),
        JsonValue value when value.TryGetValue<string>(out var text) => StringNode(text),
        _ => new YamlScalarNode(node.ToJsonString()),
    };

    /// <summary>A string scalar: plain when it reads back as the same string, double-quoted otherwise.</summary>
    public static YamlScalarNode StringNode(string text) =>
        new(text) { Style = NeedsQuotes(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain };

    private static JsonObject ToObject(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: "<<" })
            {
                Merge(result, value);
                continue;
            }

            // Duplicate keys: the last wins, as in Go's YAML-to-JSON conversion.
            result[KeyText(key)] = ToJson(value);
        }

        return result;
    }

    /// <summary>A merge key (<c>&lt;&lt;: *base</c>) as go-yaml v2 applies it where it stands: the merged mapping's
    /// entries overwrite the keys before it, keys after it overwrite them, and in a list of mappings an earlier one wins
    /// over a later one.</summary>
    private static void Merge(JsonObject result, YamlNode value)
    {
        foreach (var merged in value is YamlSequenceNode list ? list.Children.Reverse() : [value])
        {
            if (merged is not YamlMappingNode || ToJson(merged) is not JsonObject entries)
            {
                throw new YamlException(value.Start, value.End, "a merge key (<<) needs a mapping or a list of mappings");
            }

            foreach (var (k, v) in entries)
            {
                result[k] = v?.DeepClone();
            }
        }
    }

    /// <summary>A key as sigs.k8s.io/yaml names it in JSON: the text of its resolved value (<c>yes:</c> is "true",
    /// <c>017:</c> is "15", <c>1.50:</c> is "1.5"); null and collection keys have no JSON name.</summary>
    private static string KeyText(YamlNode key) => key is YamlScalarNode scalar
        ? Resolve(scalar)?.GetValue<object>() switch
        {
            null => throw new YamlException(key.Start, key.End, $"the mapping key '{scalar.Value}' is null, which JSON cannot name"),
            string text => text,
            bool flag => flag ? "true" : "false",
            double number => GoFloat32Text(number),
            var integer => Convert.ToString(integer, CultureInfo.InvariantCulture)!,
        }
        : throw new YamlException(key.Start, key.End, "a mapping or list as a mapping key, which JSON cannot name");

    private static JsonValue? Value(YamlScalarNode scalar) => Resolve(scalar) switch
    {
        { } value when value.TryGetValue<double>(out var number) && !double.IsFinite(number) =>
            throw new YamlException(scalar.Start, scalar.End, $"'{scalar.Value}' is not a number JSON can hold"),
        var value => value,
    };

    private static JsonValue? Resolve(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && (scalar.Tag.IsEmpty || scalar.Tag.Value != StringTag)
            ? ResolvePlain(scalar.Value ?? "")
            : JsonValue.Create(scalar.Value ?? "");

    /// <summary>go-yaml v2's resolution of a plain scalar: the words first, then, for text that starts like a number,
    /// an integer (underscores dropped; Go's base prefixes 0x, 0o, 0b and a leading 0 for octal; int64, else uint64),
    /// then a decimal float. A float out of range stays a string ("1e400"), as in Go.</summary>
    private static JsonValue? ResolvePlain(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE" or "y" or "Y" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "n" or "N" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return JsonValue.Create(double.PositiveInfinity);
            case "-.inf" or "-.Inf" or "-.INF":
                return JsonValue.Create(double.NegativeInfinity);
            case ".nan" or ".NaN" or ".NAN":
                return JsonValue.Create(double.NaN);
        }

        var plain = text[0] is '.' ? text : text[0] is (>= '0' and <= '9') or '+' or '-' ? text.Replace("_", "", StringComparison.Ordinal) : null;
        if (plain is null)
        {
            return JsonValue.Create(text);
        }

        if (text[0] is not '.' && GoInteger(plain) is { } integer)
        {
            return integer;
        }

        return Float().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? JsonValue.Create(d)
            : JsonValue.Create(text);
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c>, and <c>ParseUint</c> for what only fits unsigned.</summary>
    private static JsonValue? GoInteger(string s)
    {
        var signed = s[0] is '+' or '-';
        var negative = s[0] is '-';
        var i = signed ? 1 : 0;
        var radix = 10;
        if (s.Length - i >= 2 && s[i] is '0')
        {
            (radix, i) = s[i + 1] switch
            {
                'x' or 'X' => (16, i + 2),
                'b' or 'B' => (2, i + 2),
                'o' or 'O' => (8, i + 2),
                _ => (8, i + 1),
            };
        }

        if (i == s.Length)
        {
            return null;
        }

        UInt128 magnitude = 0;
        for (; i < s.Length; i++)
        {
            var digit = s[i] switch
            {
                >= '0' and <= '9' => s[i] - '0',
                >= 'a' and <= 'f' => s[i] - 'a' + 10,
                >= 'A' and <= 'F' => s[i] - 'A' + 10,
                _ => int.MaxValue,
            };
            if (digit >= radix)
            {
                return null;
            }

            magnitude = (magnitude * (uint)radix) + (uint)digit;
            if (magnitude > ulong.MaxValue)
            {
                return null;
            }
        }

        // An int when it fits, as go-yaml gives; then int64, then uint64 (unsigned text only).
        return (negative, signed) switch
        {
            (true, _) when magnitude <= (UInt128)long.MaxValue + 1 => Integer(-(long)(magnitude - 1) - 1),
            (false, _) when magnitude <= long.MaxValue => Integer((long)magnitude),
            (false, false) => JsonValue.Create((ulong)magnitude),
            _ => null,
        };

        static JsonValue Integer(long value) => value is >= int.MinValue and <= int.MaxValue ? JsonValue.Create((int)value) : JsonValue.Create(value);
    }

    /// <summary>Go's <c>strconv.FormatFloat(v, 'g', -1, 32)</c>, which sigs.k8s.io/yaml uses for float keys: the
    /// shortest digits of the float32, in exponent form when the exponent is below -4 or at least 6.</summary>
    private static string GoFloat32Text(double value)
    {
        var f = (float)value;
        if (!float.IsFinite(f))
        {
            return float.IsNaN(f) ? ".nan" : f > 0 ? ".inf" : "-.inf";
        }

        var shortest = Math.Abs(f).ToString("R", CultureInfo.InvariantCulture).Split('E');
        var exponent = shortest.Length > 1 ? int.Parse(shortest[1], CultureInfo.InvariantCulture) : 0;
        var parts = shortest[0].Split('.');
        var all = parts[0] + (parts.Length > 1 ? parts[1] : "");
        var digits = all.TrimStart('0');
        var point = parts[0].Length + exponent - (all.Length - digits.Length);
        digits = digits.TrimEnd('0');
        var sign = f < 0 || (f == 0 && float.IsNegative(f)) ? "-" : "";
        if (digits.Length == 0)
        {
            return sign + "0";
        }

        var e = point - 1;
        if (e < -4 || e >= 6)
        {
            var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
            return $"{sign}{mantissa}e{(e < 0 ? '-' : '+')}{Math.Abs(e):00}";
        }

        return sign + (point <= 0
            ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length) : $"{digits[..point]}.{digits[point..]}");
    }

    /// <summary>Quoted when plain would change the meaning: it resolves to null, a boolean or a number, or it has
    /// characters YAML gives meaning to.</summary>
    public static bool NeedsQuotes(string text) =>
        text.Length == 0
        || ResolvePlain(text) is not JsonValue value
        || !value.TryGetValue<string>(out _)
        || !SafePlain().IsMatch(text);

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex Float();

    [GeneratedRegex(@"^[A-Za-z0-9_/.][A-Za-z0-9_/.\-]*\z")]
    private static partial Regex SafePlain();
}

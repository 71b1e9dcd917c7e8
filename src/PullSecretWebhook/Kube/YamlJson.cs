using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PullSecretWebhook.Kube;

/// <summary>Converts between YAML nodes and JSON nodes the way Kubernetes reads YAML: quoted scalars are strings,
/// plain scalars resolve by the YAML 1.2 core schema (null, booleans, numbers), and strings written back that would
/// resolve to something else are quoted, so that "1.10" or "true" never turn into a number or a boolean.</summary>
internal static partial class YamlJson
{
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToObject(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
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
            // Duplicate keys: the last wins, as in Go's YAML-to-JSON conversion.
            result[key is YamlScalarNode k ? k.Value ?? "" : key.ToString()] = ToJson(value);
        }

        return result;
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(text),
        };
    }

    /// <summary>Quoted when plain would change the meaning: it resolves to null, a boolean or a number (also by the
    /// YAML 1.1 rules older parsers use: yes/no/on/off), or it has characters YAML gives meaning to.</summary>
    private static bool NeedsQuotes(string text) =>
        text.Length == 0
        || Scalar(new YamlScalarNode(text) { Style = ScalarStyle.Plain }) is not JsonValue value
        || !value.TryGetValue<string>(out _)
        || Yaml11Boolean().IsMatch(text)
        || !SafePlain().IsMatch(text);

    [GeneratedRegex(@"^[-+]?[0-9]+\z|^0o[0-7]+\z|^0x[0-9a-fA-F]+\z")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z|^[-+]?\.(inf|Inf|INF)\z|^\.(nan|NaN|NAN)\z")]
    private static partial Regex Float();

    [GeneratedRegex(@"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)\z")]
    private static partial Regex Yaml11Boolean();

    [GeneratedRegex(@"^[A-Za-z0-9_/.][A-Za-z0-9_/.\-]*\z")]
    private static partial Regex SafePlain();
}

using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Kube;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PullSecretWebhook.Cli.Manifests;

/// <summary>An insertion or replacement in the original text.</summary>
internal readonly record struct TextEdit(int Start, int Length, string Text);

/// <summary>The add operations of <c>mutate</c> as edits of the YAML text itself, placed with the parser's marks, so
/// that comments, blank lines, indentation and every other byte of the input survive: a new key goes after the last
/// entry of its mapping at that mapping's indentation, a new list item after the last item, in block or flow style as
/// the surroundings are written. Null when an operation has no such edit (then the stream is re-emitted).</summary>
internal static class YamlTextEdits
{
    /// <summary>The edit that adds <paramref name="value"/> under <paramref name="key"/> of the mapping
    /// <paramref name="parent"/>, or appends it to the sequence <paramref name="parent"/> when the key is "-".</summary>
    public static TextEdit? For(string text, YamlNode parent, string key, JsonNode value) => parent switch
    {
        YamlSequenceNode sequence when key == "-" => Append(text, sequence, value),
        YamlMappingNode mapping => Entry(mapping, key) switch
        {
            null => AddKey(text, mapping, key, value),
            // A null value (~, null, nothing) reads as the field being absent: replaced in place.
            (var name, YamlScalarNode nothing) when YamlJson.ToJson(nothing) is null => ReplaceNull(text, mapping, name, nothing, value),
            _ => null,
        },
        _ => null,
    };

    public static string Apply(string text, IEnumerable<TextEdit> edits)
    {
        var result = new StringBuilder(text);
        // From the end, so that each edit's position is still the original one; at one position, in the given order.
        foreach (var edit in edits.Select((e, i) => (e, i)).OrderByDescending(x => x.e.Start).ThenByDescending(x => x.i).Select(x => x.e))
        {
            result.Remove(edit.Start, edit.Length).Insert(edit.Start, edit.Text);
        }

        return result.ToString();
    }

    private static TextEdit? AddKey(string text, YamlMappingNode mapping, string key, JsonNode value)
    {
        if (mapping is { Style: MappingStyle.Flow, Children.Count: 0 })
        {
            return new TextEdit(Start(mapping) + 1, 0, $"{Flow(key)}: {Flow(value)}");
        }

        if (mapping.Children.Count == 0 || EndOf(text, mapping.Children[^1].Value) is not { } end || end < Start(mapping.Children[^1].Key))
        {
            return null;
        }

        if (mapping.Style is MappingStyle.Flow)
        {
            return new TextEdit(end, 0, $", {Flow(key)}: {Flow(value)}");
        }

        var newline = Newline(text);
        var indent = new string(' ', Column(mapping));
        return LinesAfter(text, end, value is JsonArray items && items.Count > 0
            ? $"{indent}{Flow(key)}:{newline}{BlockItems(items, indent + SequenceOffset(mapping), newline)}"
            : $"{indent}{Flow(key)}: {Flow(value)}{newline}");
    }

    private static TextEdit? ReplaceNull(string text, YamlMappingNode mapping, YamlScalarNode name, YamlScalarNode nothing, JsonNode value)
    {
        var colon = text.IndexOf(':', End(name));
        if (colon < 0 || colon + 1 > Start(nothing))
        {
            return null;
        }

        var end = Math.Max(colon + 1, End(nothing));
        var replacement = mapping.Style is not MappingStyle.Flow && value is JsonArray items && items.Count > 0
            ? Newline(text) + BlockItems(items, new string(' ', Column(name)) + SequenceOffset(mapping), Newline(text)).TrimEnd('\r', '\n')
            : " " + Flow(value);
        return new TextEdit(colon + 1, end - colon - 1, replacement);
    }

    private static TextEdit? Append(string text, YamlSequenceNode sequence, JsonNode value)
    {
        if (sequence.Style is SequenceStyle.Flow)
        {
            return sequence.Children.Count == 0
                ? new TextEdit(Start(sequence) + 1, 0, Flow(value))
                : EndOf(text, sequence.Children[^1]) is { } last && last > Start(sequence) ? new TextEdit(last, 0, $", {Flow(value)}") : null;
        }

        if (sequence.Children.Count == 0 || EndOf(text, sequence.Children[^1]) is not { } end || end <= Start(sequence))
        {
            return null;
        }

        return LinesAfter(text, end, BlockItems(new JsonArray(value.DeepClone()), new string(' ', Column(sequence)), Newline(text)));
    }

    /// <summary>Block list items, one per line ("- name: x"), further keys of an item under its first.</summary>
    private static string BlockItems(JsonArray items, string indent, string newline)
    {
        var lines = new StringBuilder();
        foreach (var item in items)
        {
            if (item is JsonObject { Count: > 0 } obj)
            {
                var first = true;
                foreach (var (k, v) in obj)
                {
                    lines.Append(indent).Append(first ? "- " : "  ").Append(Flow(k)).Append(": ").Append(Flow(v)).Append(newline);
                    first = false;
                }
            }
            else
            {
                lines.Append(indent).Append("- ").Append(Flow(item)).Append(newline);
            }
        }

        return lines.ToString();
    }

    /// <summary>A value in flow style: strings plain when they read back as the same string, else double-quoted (JSON's
    /// escapes are YAML's).</summary>
    private static string Flow(JsonNode? node) => node switch
    {
        JsonObject obj => "{" + string.Join(", ", obj.Select(p => $"{Flow(p.Key)}: {Flow(p.Value)}")) + "}",
        JsonArray array => "[" + string.Join(", ", array.Select(Flow)) + "]",
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => Flow(s),
        _ => node.ToJsonString(),
    };

    private static string Flow(string text) => YamlJson.NeedsQuotes(text) ? JsonValue.Create(text).ToJsonString() : text;

    /// <summary>The key and value named <paramref name="key"/>, or null.</summary>
    private static (YamlScalarNode Name, YamlNode Value)? Entry(YamlMappingNode mapping, string key)
    {
        foreach (var (name, value) in mapping.Children)
        {
            if (name is YamlScalarNode scalar && scalar.Value == key)
            {
                return (scalar, value);
            }
        }

        return null;
    }

    /// <summary>Where a node's text ends: after a scalar, after the closing bracket of a flow collection, after the last
    /// entry of a block collection.</summary>
    private static int? EndOf(string text, YamlNode node) => node switch
    {
        YamlScalarNode scalar => End(scalar),
        YamlMappingNode { Style: MappingStyle.Flow } m =>
            Close(text, m.Children.Count == 0 ? Start(m) + 1 : EndOf(text, m.Children[^1].Value), '}'),
        YamlSequenceNode { Style: SequenceStyle.Flow } s =>
            Close(text, s.Children.Count == 0 ? Start(s) + 1 : EndOf(text, s.Children[^1]), ']'),
        YamlMappingNode { Children.Count: > 0 } m => EndOf(text, m.Children[^1].Value),
        YamlSequenceNode { Children.Count: > 0 } s => EndOf(text, s.Children[^1]),
        _ => null,
    };

    /// <summary>Just after the bracket that closes a flow collection, from the end of its last entry: only spaces, line
    /// breaks, commas and comments can come between.</summary>
    private static int? Close(string text, int? from, char bracket)
    {
        for (var i = from ?? text.Length; i < text.Length; i++)
        {
            switch (text[i])
            {
                case ' ' or '\t' or '\r' or '\n' or ',':
                    continue;
                case '#':
                    i = text.IndexOf('\n', i) is var eol and >= 0 ? eol : text.Length;
                    continue;
                case var c when c == bracket:
                    return i + 1;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>Whole lines inserted at the start of the line after the one <paramref name="end"/> is on (after its
    /// comment): at <paramref name="end"/> itself when it is already at a line's start (after a block scalar), at the
    /// end of the text after a line break of its own when the last line has none.</summary>
    private static TextEdit LinesAfter(string text, int end, string lines)
    {
        var at = end > 0 && text[end - 1] == '\n' ? end : text.IndexOf('\n', end) is var eol and >= 0 ? eol + 1 : text.Length;
        var lead = at == text.Length && text.Length > 0 && text[^1] != '\n' ? Newline(text) : "";
        return new TextEdit(at, 0, lead + lines);
    }

    /// <summary>How far this document's block lists are indented from their key: kubectl writes "- " at the key's own
    /// column; others indent by two. Read from a list already in the mapping, else kubectl's.</summary>
    private static string SequenceOffset(YamlMappingNode mapping) =>
        mapping.Children.FirstOrDefault(p => p.Value is YamlSequenceNode { Style: not SequenceStyle.Flow, Children.Count: > 0 }) is { Key: { } key, Value: { } list }
            ? new string(' ', Math.Max(0, Column(list) - Column(key)))
            : "";

    private static string Newline(string text) => text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

    private static int Start(YamlNode node) => (int)node.Start.Index;

    private static int End(YamlNode node) => (int)node.End.Index;

    private static int Column(YamlNode node) => (int)node.Start.Column - 1;
}

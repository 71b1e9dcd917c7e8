using System.Globalization;
using System.Text.Json;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Kube;
using YamlDotNet.RepresentationModel;

namespace PullSecretWebhook.Cli.Manifests;

/// <summary>A YAML stream of one or more documents, read into YamlDotNet's representation model so that unknown
/// fields, key order and each scalar's quoting style survive the round trip. Comments do not survive a re-emitted
/// stream (the model has no place for them), so a stream in which nothing changed is written back byte for byte.</summary>
internal sealed class YamlManifest : IManifest
{
    private readonly string _text;
    private readonly YamlStream _stream = new();
    private bool _changed;

    public YamlManifest(string text)
    {
        _text = text;
        _stream.Load(new StringReader(text));
        Documents = [.. _stream.Documents.Select(d => ToElement(d.RootNode))];
    }

    public IReadOnlyList<JsonElement> Documents { get; }

    public void Apply(int document, PatchOperation operation)
    {
        var segments = JsonPointer.Segments(operation.Path);
        var parent = _stream.Documents[document].RootNode;
        foreach (var segment in segments.SkipLast(1))
        {
            parent = parent is YamlSequenceNode sequence
                ? sequence.Children[int.Parse(segment, CultureInfo.InvariantCulture)]
                : ((YamlMappingNode)parent).Children[new YamlScalarNode(segment)];
        }

        var value = YamlJson.ToYaml(operation.Value);
        if (segments[^1] == "-")
        {
            ((YamlSequenceNode)parent).Add(value);
        }
        else
        {
            // Replacing a key keeps its place in the mapping; a new key goes last.
            ((YamlMappingNode)parent).Children[new YamlScalarNode(segments[^1])] = value;
        }

        _changed = true;
    }

    public void Write(TextWriter output)
    {
        if (!_changed)
        {
            output.Write(_text);
            return;
        }

        _stream.Save(new ImplicitDocumentEndEmitter(new YamlDotNet.Core.Emitter(output)), assignAnchors: false);
    }

    private static JsonElement ToElement(YamlNode node)
    {
        using var document = JsonDocument.Parse(YamlJson.ToJson(node)?.ToJsonString() ?? "null");
        return document.RootElement.Clone();
    }
}

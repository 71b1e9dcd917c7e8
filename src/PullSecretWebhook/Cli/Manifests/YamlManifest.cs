using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Kube;
using YamlDotNet.RepresentationModel;

namespace PullSecretWebhook.Cli.Manifests;

/// <summary>A YAML stream of one or more documents, read into YamlDotNet's representation model. Each added value is
/// written into the original text (<see cref="YamlTextEdits"/>), so comments, blank lines, indentation and quoting
/// survive. Should an edit not be possible, or the edited text not read back as the model reads, the model is emitted
/// instead: unknown fields, key order and each scalar's quoting survive that too, comments do not (the model has no
/// place for them).</summary>
internal sealed class YamlManifest : IManifest
{
    private readonly string _text;
    private readonly YamlStream _stream = new();
    private List<TextEdit>? _edits = [];
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
                : ((YamlMappingNode)parent).Children.TryGetValue(new YamlScalarNode(segment), out var child)
                    ? child
                    // Read through a merge key: adding there would change the merged mapping everywhere it is used.
                    : throw new CliException($"document {document}: cannot add {operation.Path}: '{segment}' comes from a merge key (<<); write it out in the object to have the reference added");
        }

        // The text edit is placed by the marks the parser gave the nodes, before the model changes.
        if (_edits is not null && YamlTextEdits.For(_text, parent, segments[^1], operation.Value) is { } edit)
        {
            _edits.Add(edit);
        }
        else
        {
            _edits = null;
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

        if (_edits is not null && YamlTextEdits.Apply(_text, _edits) is var edited && ReadsAsTheModel(edited))
        {
            output.Write(edited);
            return;
        }

        _stream.Save(new ImplicitDocumentEndEmitter(new YamlDotNet.Core.Emitter(output)), assignAnchors: false);
    }

    /// <summary>Whether the edited text holds exactly the documents of the changed model: what is written is what was
    /// decided, whatever the YAML looked like (anchors, unusual layouts).</summary>
    private bool ReadsAsTheModel(string edited)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(edited));
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return false;
        }

        return stream.Documents.Count == _stream.Documents.Count
            && stream.Documents.Zip(_stream.Documents).All(p => JsonNode.DeepEquals(YamlJson.ToJson(p.First.RootNode), YamlJson.ToJson(p.Second.RootNode)));
    }

    private static JsonElement ToElement(YamlNode node)
    {
        using var document = JsonDocument.Parse(YamlJson.ToJson(node)?.ToJsonString() ?? "null");
        return document.RootElement.Clone();
    }
}

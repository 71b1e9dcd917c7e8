using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PullSecretWebhook.Admission;

namespace PullSecretWebhook.Cli.Manifests;

/// <summary>One JSON document (an object, or a <c>List</c> kind with <c>items</c>). Read as <see cref="JsonNode"/>,
/// which keeps member order and numbers exactly as written; written indented, as kubectl prints JSON.</summary>
internal sealed class JsonManifest : IManifest
{
    private static readonly JsonSerializerOptions Output = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly JsonNode? _root;

    public JsonManifest(string text)
    {
        _root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        using var view = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
        Documents = [view.RootElement.Clone()];
    }

    public IReadOnlyList<JsonElement> Documents { get; }

    public void Apply(int document, PatchOperation operation)
    {
        var segments = JsonPointer.Segments(operation.Path);
        var parent = _root;
        foreach (var segment in segments.SkipLast(1))
        {
            parent = parent is JsonArray array ? array[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)] : parent![segment];
        }

        var last = segments[^1];
        if (last == "-")
        {
            parent!.AsArray().Add(operation.Value.DeepClone());
        }
        else
        {
            parent![last] = operation.Value.DeepClone();
        }
    }

    public void Write(TextWriter output)
    {
        output.Write(_root?.ToJsonString(Output) ?? "null");
        output.Write('\n');
    }
}

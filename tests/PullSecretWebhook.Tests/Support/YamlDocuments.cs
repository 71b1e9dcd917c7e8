using System.Text.Json.Nodes;
using PullSecretWebhook.Kube;
using YamlDotNet.RepresentationModel;

namespace PullSecretWebhook.Tests.Support;

/// <summary>Multi-document YAML to JSON objects, typed as kubectl types them (the product's <see cref="YamlJson"/>,
/// which <c>YamlJsonTests</c> holds to kubectl), so manifests compare with the JSON the server sends.</summary>
internal static class YamlDocuments
{
    public static IReadOnlyList<JsonObject> Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(d => YamlJson.ToJson(d.RootNode)).OfType<JsonObject>()];
    }
}

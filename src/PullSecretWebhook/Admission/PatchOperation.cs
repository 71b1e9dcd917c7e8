using System.Text.Json.Nodes;

namespace PullSecretWebhook.Admission;

/// <summary>One RFC 6902 operation. The webhook only ever emits <c>add</c>.</summary>
internal sealed record PatchOperation(string Op, string Path, JsonNode Value)
{
    public static PatchOperation Add(string path, JsonNode value) => new("add", path, value);
}

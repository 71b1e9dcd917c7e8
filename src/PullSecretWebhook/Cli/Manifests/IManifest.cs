using System.Text.Json;
using PullSecretWebhook.Admission;

namespace PullSecretWebhook.Cli.Manifests;

/// <summary>An input stream of Kubernetes objects in its own format (YAML or JSON): read-only JSON views of its
/// documents for deciding, add operations applied to its own model, and output in the same format.</summary>
internal interface IManifest
{
    IReadOnlyList<JsonElement> Documents { get; }

    void Apply(int document, PatchOperation operation);

    void Write(TextWriter output);
}

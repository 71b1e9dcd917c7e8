using PullSecretWebhook.Admission;

namespace PullSecretWebhook.Cli.Manifests;

/// <summary>The decision for one object of the input: where it is, what it is, and the operation (rooted at its
/// document, so that the operations of one document apply to it in order).</summary>
internal sealed record ObjectResult(int Document, int? Item, string? Kind, string? Name, string? Namespace, string Outcome, PatchOperation? Operation);

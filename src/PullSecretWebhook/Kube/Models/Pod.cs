using System.Text.Json.Nodes;

namespace PullSecretWebhook.Kube.Models;

/// <summary>
/// core/v1 Pod, kept minimal: the spec stays a <see cref="JsonObject"/> so nothing in it is lost
/// or reshaped on the way through (status lands in extension data).
/// </summary>
internal sealed class Pod : KubeObject
{
    public JsonObject? Spec { get; set; }
}

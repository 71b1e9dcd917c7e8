using System.Text.Json;

namespace PullSecretWebhook.Kube.Models;

/// <summary>One line of a watch stream before its object is typed (ERROR events carry a Status, not a T).</summary>
internal sealed class RawWatchEvent
{
    public string? Type { get; set; }

    public JsonElement Object { get; set; }
}

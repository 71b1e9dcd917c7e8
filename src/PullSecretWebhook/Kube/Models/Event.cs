using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Models;

/// <summary>core/v1 Event, the kind <c>kubectl describe</c> shows.</summary>
internal sealed class Event : KubeObject
{
    public ObjectReference? InvolvedObject { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    /// <summary><c>Normal</c> or <c>Warning</c>.</summary>
    public string? Type { get; set; }

    public int? Count { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? FirstTimestamp { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTimestamp { get; set; }

    /// <summary>A MicroTime; required by the API server when <see cref="ReportingComponent"/> is set.</summary>
    [JsonConverter(typeof(KubeMicroTimeConverter))]
    public DateTimeOffset? EventTime { get; set; }

    public EventSource? Source { get; set; }

    public string? ReportingComponent { get; set; }

    public string? ReportingInstance { get; set; }

    public string? Action { get; set; }
}

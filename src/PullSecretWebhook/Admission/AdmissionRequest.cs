namespace PullSecretWebhook.Admission;

/// <summary>The fields of <c>AdmissionReview.request</c> the webhook decides on, read from the raw body. Nothing of the
/// object is kept but what the decision reads (<see cref="PodFacts"/>): the patch is add-only and built from those
/// facts, never from a re-serialised model, so unknown and future Pod fields cannot be lost or reordered.</summary>
internal sealed record AdmissionRequest
{
    /// <summary>Echoed in the response. The API server always sends one; some captured documents omit it, and we
    /// answer those with an empty uid rather than refuse them.</summary>
    public required string Uid { get; init; }

    public string KindGroup { get; init; } = "";
    public string Kind { get; init; } = "";
    public string SubResource { get; init; } = "";
    public string Operation { get; init; } = "";
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public bool DryRun { get; init; }
    public string? UserName { get; init; }

    /// <summary>What the decision reads from <c>request.object</c>; null when the object is absent or not an object.</summary>
    public PodFacts? Pod { get; init; }
}

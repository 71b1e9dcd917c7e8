namespace PullSecretWebhook.Admission;

/// <summary>What the webhook answers. It only mutates, so every answer allows; the vocabulary is
/// <see cref="Allowed"/>, <see cref="Patched"/> and <see cref="WithWarnings"/>.</summary>
internal sealed record AdmissionResponse
{
    private AdmissionResponse(string uid, AdmissionOutcome outcome, IReadOnlyList<PatchOperation> patch)
    {
        Uid = uid;
        Outcome = outcome;
        Patch = patch;
    }

    public string Uid { get; }
    public AdmissionOutcome Outcome { get; }

    /// <summary>Empty when nothing changes; then the response carries no <c>patchType</c>.</summary>
    public IReadOnlyList<PatchOperation> Patch { get; }

    /// <summary>Shown to the user by kubectl; the API server caps them, so keep them short.</summary>
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    public static AdmissionResponse Allowed(string uid, AdmissionOutcome outcome) => new(uid, outcome, []);

    public static AdmissionResponse Patched(string uid, params PatchOperation[] operations) =>
        new(uid, AdmissionOutcome.Injected, operations);

    public AdmissionResponse WithWarnings(params string[] warnings) => this with { Warnings = [.. Warnings, .. warnings] };
}

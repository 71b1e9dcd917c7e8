namespace PullSecretWebhook.Admission;

/// <summary>The decision for one Pod spec: an outcome, and the operation when the outcome is
/// <see cref="AdmissionOutcome.Injected"/>.</summary>
internal readonly record struct InjectionDecision(AdmissionOutcome Outcome, PatchOperation? Operation);

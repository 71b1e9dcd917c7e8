namespace PullSecretWebhook.Reconciliation.SlippedPods;

/// <summary>A Pod found running without the target reference although its images match exported credentials.</summary>
internal sealed record SlippedPod(string Namespace, string Name, IReadOnlyList<string> Images);

namespace PullSecretWebhook.CredentialChecks;

/// <summary>A registry's or token service's answer, read whole but bounded (<see cref="CredentialChecksOptions.MaxAnswerBytes"/>).</summary>
internal sealed record RegistryAnswer(int Status, IReadOnlyList<string> Challenges, byte[] Body);

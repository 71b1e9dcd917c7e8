using PullSecretWebhook.Kube.Models;

namespace PullSecretWebhook.CredentialChecks;

/// <summary>The keys of one usable exported Secret, as the checks see them.</summary>
internal sealed record SourceCredentials(string Id, Secret Secret, IReadOnlyList<KeyCredential> Keys);

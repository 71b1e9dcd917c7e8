using PullSecretWebhook.Credentials;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Reconciliation.Desired;
using k8s.Models;

namespace PullSecretWebhook.CredentialChecks;

/// <summary>The keys of one usable exported Secret, as the checks see them (the server's loop and <c>explain
/// --check</c> both build them here, so they cannot drift).</summary>
internal sealed record SourceCredentials(string Id, V1Secret Secret, IReadOnlyList<KeyCredential> Keys)
{
    /// <summary>Null for a source that is not usable: it reaches no Pod and is worth no registry traffic.</summary>
    public static SourceCredentials? Of(SourceAnalysis analysis, V1Secret secret)
    {
        if (!analysis.IsUsable)
        {
            return null;
        }

        var probe = secret.Metadata.AnnotationsView()?.GetValueOrDefault(ProbeImage.Annotation);
        if (probe is not null && !ImageName.TryParse(probe.Trim(), out _, out var invalid))
        {
            // A probe that cannot be fetched would make every verdict a lie by omission: say so instead of checking.
            return new SourceCredentials(analysis.Id, secret, [.. analysis.Source!.Entries.Select(e => new KeyCredential(e.Key, null, $"annotation {ProbeImage.Annotation} is not an image reference ({invalid})"))]);
        }

        var keys = analysis.Source!.Entries
            .Select(entry => CheckTarget.TryCreate(entry, probe, out var target, out var problem)
                ? new KeyCredential(entry.Key, target, null)
                : new KeyCredential(entry.Key, null, problem))
            .ToList();
        return new SourceCredentials(analysis.Id, secret, keys);
    }
}

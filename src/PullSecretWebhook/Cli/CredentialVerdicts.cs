using System.Globalization;
using Microsoft.Extensions.Options;
using PullSecretWebhook.CredentialChecks;
using k8s.Models;

namespace PullSecretWebhook.Cli;

/// <summary>The verdict <c>explain</c> prints beside each registry key of a source exported to the namespace: run
/// live with <c>--check</c> (the server's own <see cref="CredentialChecker"/>), else what the server reported
/// about the source's current version in its <c>CredentialRejected</c> / <c>CredentialExpiring</c> Events. Verdicts
/// and reasons only, never a credential.</summary>
internal static class CredentialVerdicts
{
    public static async Task<IReadOnlyDictionary<(string Source, string Key), string>> CheckAsync(ClusterSnapshot snapshot, CredentialChecksOptions options, CancellationToken cancellationToken)
    {
        using var transport = new RegistryTransport(options);
        var checker = new CredentialChecker(transport, Options.Create(options), TimeProvider.System);
        var done = new Dictionary<CheckTarget, CheckResult>();
        var verdicts = new Dictionary<(string, string), string>();
        // Only the sources the namespace gets: no registry traffic for keys explain does not list.
        var merged = snapshot.Desired.Merge?.Sources.ToHashSet(StringComparer.Ordinal) ?? [];
        for (var i = 0; i < snapshot.Sources.Count; i++)
        {
            if (!merged.Contains(snapshot.Sources[i].Id) || SourceCredentials.Of(snapshot.Sources[i], snapshot.Exported[i]) is not { } source)
            {
                continue;
            }

            foreach (var key in source.Keys)
            {
                if (key.Target is not { } target)
                {
                    verdicts[(source.Id, key.Key)] = $"Unchecked: {key.Problem}";
                    continue;
                }

                if (!done.TryGetValue(target, out var result))
                {
                    done[target] = result = await checker.CheckAsync(target, cancellationToken);
                }

                var expires = result.ExpiresAt is { } at ? $"; expires at {at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}" : "";
                verdicts[(source.Id, key.Key)] = $"{result.Verdict}: {result.Reason}{expires}";
            }
        }

        return verdicts;
    }

    public static IReadOnlyDictionary<(string Source, string Key), string> Reported(ClusterSnapshot snapshot)
    {
        var verdicts = new Dictionary<(string, string), string>();
        for (var i = 0; i < snapshot.Sources.Count; i++)
        {
            if (snapshot.Sources[i].Source is not { } source)
            {
                continue;
            }

            // Only Events about this version of the Secret: a rotation makes older verdicts moot.
            var secret = snapshot.Exported[i].Metadata;
            var events = snapshot.ServerEvents
                .Where(e => e.InvolvedObject?.Name == secret.Name && e.InvolvedObject?.NamespaceProperty == secret.NamespaceProperty && e.InvolvedObject?.ResourceVersion == secret.ResourceVersion)
                .OrderByDescending(e => e.LastTimestamp)
                .ToList();
            foreach (var entry in source.Entries)
            {
                var about = events.Where(e => e.Message?.StartsWith($"Registry key {entry.Key} (", StringComparison.Ordinal) == true).ToList();
                var rejected = about.FirstOrDefault(e => e.Reason == "CredentialRejected");
                var expiring = about.FirstOrDefault(e => e.Reason == "CredentialExpiring");
                verdicts[(source.Id, entry.Key)] = (rejected, expiring) switch
                {
                    ({ } r, _) => $"Rejected (the server's Event, {When(r)}): {r.Message}",
                    (null, { } x) => $"Expiring (the server's Event, {When(x)}): {x.Message}",
                    _ => "Unchecked here: the server reported no problem (Events); --check checks it now",
                };
            }
        }

        return verdicts;
    }

    private static string When(Corev1Event e) =>
        e.LastTimestamp is { } at ? at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "time unknown";
}

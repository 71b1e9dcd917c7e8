using PullSecretWebhook.Credentials;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Cli;

/// <summary>Writes <c>explain</c>'s report: names, states, registry keys and usernames — never a password, auth or token.</summary>
internal static class ExplainText
{
    public static string Reason(DesiredReason reason) => reason switch
    {
        DesiredReason.Wanted => "sources are exported to it",
        DesiredReason.Excluded => "it is excluded by name (kube-system, kube-public, kube-node-lease, the server's namespace, or ExcludedNamespaces)",
        DesiredReason.OptedOut => $"it is labelled {WellKnown.InjectLabel}=false",
        DesiredReason.Terminating => "it is being deleted",
        _ => "no usable exported Secret includes it",
    };

    public static void Write(TextWriter output, ClusterSnapshot snapshot, ClusterSettings settings, string? image, IReadOnlyDictionary<(string Source, string Key), string>? verdicts = null)
    {
        verdicts ??= new Dictionary<(string, string), string>();
        var name = snapshot.Namespace.Metadata.Name ?? "";
        output.WriteLine($"Namespace {name}: {(snapshot.Desired.IsWanted ? "gets credentials" : "gets no credentials")}: {Reason(snapshot.Desired.Reason)}.");
        output.WriteLine($"Target Secret {name}/{settings.SecretName}: {snapshot.State} ({State(snapshot.State)})");
        output.WriteLine();
        output.WriteLine("Sources:");
        if (snapshot.Sources.Count == 0)
        {
            output.WriteLine($"  (no Secret in the cluster carries the label {WellKnown.ExportLabel}=true)");
        }

        foreach (var missing in snapshot.MissingNamedSources)
        {
            output.WriteLine($"  {missing}: named by --source-secret (Sources:Secrets) but not found");
        }

        for (var i = 0; i < snapshot.Sources.Count; i++)
        {
            var analysis = snapshot.Sources[i];
            var labels = snapshot.Namespace.Metadata.LabelsView();
            var keys = analysis.Source is { } source ? string.Join(", ", source.Entries.Select(e => e.Key)) : "";
            var line = analysis switch
            {
                { IsUsable: false } => $"not exported: {analysis.Problem}",
                _ when snapshot.Desired.Reason is DesiredReason.Excluded or DesiredReason.OptedOut or DesiredReason.Terminating => $"not exported here: the namespace {Reason(snapshot.Desired.Reason)}",
                _ when !analysis.Scope!.IncludesName(name) => $"not exported here: {Scope(snapshot, settings, i, WellKnown.ToNamespacesAnnotation)} does not include {name}",
                _ when !analysis.Scope!.Includes(name, labels) => $"not exported here: {Scope(snapshot, settings, i, WellKnown.ToNamespaceSelectorAnnotation)} does not select {name}'s labels",
                _ => $"exported: {keys}",
            };
            output.WriteLine($"  {analysis.Id}: {line}");
            if (line.StartsWith("exported:", StringComparison.Ordinal))
            {
                foreach (var entry in analysis.Source!.Entries)
                {
                    output.WriteLine($"      {entry.Key}: {verdicts.GetValueOrDefault((analysis.Id, entry.Key), "Unchecked")}");
                }
            }
        }

        foreach (var collision in snapshot.Desired.Collisions)
        {
            output.WriteLine($"  collision: {collision.Key} is in {collision.Winner} and {collision.Loser}; {collision.Winner} is used");
        }

        if (image is not null)
        {
            output.WriteLine();
            WriteImage(output, snapshot, image, verdicts);
        }
    }

    private static void WriteImage(TextWriter output, ClusterSnapshot snapshot, string image, IReadOnlyDictionary<(string Source, string Key), string> verdicts)
    {
        var merge = snapshot.Desired.Merge;
        var keyring = merge is null ? RegistryKeyring.Empty : new RegistryKeyring(merge.Entries);
        var matches = keyring.LookupImage(image, out var repository, out var problem);
        if (problem is not null)
        {
            output.WriteLine($"Image {image}: the kubelet cannot parse it ({problem}); no credential is tried.");
            return;
        }

        output.WriteLine($"Image {image} (the kubelet looks up {repository}):");
        if (matches.Count == 0)
        {
            output.WriteLine("  no registry key matches: the kubelet pulls it without these credentials.");
            return;
        }

        for (var i = 0; i < matches.Count; i++)
        {
            var match = matches[i];
            var user = match.Entry.Username.Length > 0 ? $"user {match.Entry.Username}" : "no username";
            var via = match.ViaDockerHubFallback ? ", by the Docker Hub fallback" : "";
            var origin = merge!.Origins.TryGetValue(match.Entry.Key, out var source) ? $", from {source}" : "";
            var verdict = merge.Origins.TryGetValue(match.Entry.Key, out var from) && verdicts.TryGetValue((from, match.Entry.Key), out var v) ? $": {v.Split(':')[0].Split(' ')[0]}" : "";
            output.WriteLine($"  {i + 1}. {match.Entry.Key} ({user}{origin}{via}){verdict}");
        }
    }

    /// <summary>Where a source's scope comes from, and its text: the <c>--source-secret</c> entry when it gives one
    /// (as <c>Sources:Secrets</c> overrides the Secret's annotations), else the annotation.</summary>
    private static string Scope(ClusterSnapshot snapshot, ClusterSettings settings, int index, string annotation)
    {
        var id = snapshot.Sources[index].Id;
        if (settings.NamedSources.FirstOrDefault(n => n.Id == id && n.HasScope) is { } entry)
        {
            var given = annotation == WellKnown.ToNamespacesAnnotation ? entry.ToNamespaces : entry.ToNamespaceSelector;
            return $"--source-secret {annotation[WellKnown.Prefix.Length..]} \"{given ?? "*"}\"";
        }

        return $"{annotation} \"{snapshot.Exported[index].Metadata.AnnotationsView()?.GetValueOrDefault(annotation) ?? "*"}\"";
    }

    private static string State(TargetState state) => state switch
    {
        TargetState.UpToDate => "present and equal to the merge",
        TargetState.NotWanted => "nothing is wanted and nothing of ours is there",
        TargetState.Missing => "wanted but absent; the reconciler will create it",
        TargetState.Differs => "ours but different from the merge; the reconciler will update it",
        TargetState.WrongType => "ours but of another type; the reconciler will replace it",
        TargetState.NotOurs => $"a Secret of that name exists that pullsecret-webhook did not create; it is left alone (annotate it {WellKnown.AdoptAnnotation}=true to hand it over)",
        TargetState.Adoptable => "someone else's, annotated for adoption; the reconciler will take it over",
        TargetState.Unwanted => "ours but no longer wanted; the reconciler will delete it",
        _ => state.ToString(),
    };
}

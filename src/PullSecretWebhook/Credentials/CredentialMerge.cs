using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PullSecretWebhook.Credentials;

/// <summary>Merges sources into one <c>.dockerconfigjson</c> (README, "Exporting credentials"): the union of registry
/// keys, every entry copied as written, and for a key held by several sources the source whose <c>namespace/name</c>
/// sorts first wins. Keys are compared exactly: path-scoped keys (<c>registry.example.com/team-a</c>) are distinct
/// keys, which is how several credentials for one host coexist (the kubelet tries the most specific path
/// first).</summary>
internal static class CredentialMerge
{
    public static MergedCredentials Merge(IEnumerable<CredentialSource> sources)
    {
        var winners = new SortedDictionary<string, (RegistryEntry Entry, string Source)>(StringComparer.Ordinal);
        var collisions = new List<CredentialCollision>();
        var contributors = new SortedSet<string>(StringComparer.Ordinal);
        var uids = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var source in sources.OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            uids[source.Id] = source.Uid;
            foreach (var entry in source.Entries)
            {
                if (winners.TryGetValue(entry.Key, out var winner))
                {
                    collisions.Add(new CredentialCollision(entry.Key, winner.Source, source.Id));
                    continue;
                }

                winners[entry.Key] = (entry, source.Id);
                contributors.Add(source.Id);
            }
        }

        var entries = winners.Values.Select(w => w.Entry).ToList();
        var origins = winners.ToDictionary(w => w.Key, w => w.Value.Source, StringComparer.Ordinal);
        return new MergedCredentials(Render(entries), [.. contributors], entries, origins, collisions, uids);
    }

    private static byte[] Render(IEnumerable<RegistryEntry> entries)
    {
        var auths = new JsonObject();
        foreach (var entry in entries)
        {
            auths[entry.Key] = entry.Raw.DeepClone();
        }

        // Relaxed escaping keeps '+' and non-ASCII as written (the payload is never embedded in HTML).
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            new JsonObject { ["auths"] = auths }.WriteTo(writer);
        }

        return output.WrittenSpan.ToArray();
    }
}

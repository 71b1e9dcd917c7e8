using System.Text.Json;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Selection;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.Desired;

/// <summary>The <c>pullsecret-webhook.io/origins</c> annotation of a target: for each source that fed it, the uid of
/// the Secret and the registry keys of the payload that came from it, e.g.
/// <c>{"psw/harbor":{"uid":"6f1…","registries":["harbor.example.com"]}}</c>. It is what lets the targets themselves
/// hold the last good contribution of a source that turned invalid (README, "When a source turns invalid"): after a
/// restart, nothing else remembers it. Names, uids and registry keys only, like <c>/status</c>.</summary>
internal static class TargetOrigins
{
    /// <summary>The annotation's value for a merge: deterministic (sorted ids, sorted keys), so an unchanged merge
    /// compares equal to what was written.</summary>
    public static string Render(MergedCredentials? merge)
    {
        if (merge is null)
        {
            return "";
        }

        var keysBySource = merge.Origins
            .GroupBy(o => o.Value, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            foreach (var source in keysBySource)
            {
                writer.WriteStartObject(source.Key);
                writer.WriteString("uid", merge.SourceUids.GetValueOrDefault(source.Key));
                writer.WriteStartArray("registries");
                foreach (var key in source.Select(o => o.Key).Order(StringComparer.Ordinal))
                {
                    writer.WriteStringValue(key);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>The entries a target of ours holds from the source <paramref name="ns"/>/<paramref name="name"/>
    /// with <paramref name="uid"/>, read back from the target's own payload; null when the target is not ours, does
    /// not parse, or does not attribute anything to that very Secret (another uid is another Secret: a source
    /// deleted and created again starts with no last good).</summary>
    public static CredentialSource? Recover(V1Secret? target, string ns, string name, string uid)
    {
        if (RecordedRegistries(target, ns, name, uid) is not { } keys
            || target!.DataView()?.GetValueOrDefault(SecretTypes.DockerConfigJsonKey) is not { } payload)
        {
            return null;
        }

        var parsed = DockerConfigParser.Parse(payload, DockerConfigFormat.DockerConfigJson);
        if (!parsed.IsValid)
        {
            return null;
        }

        var entries = parsed.Entries.Where(e => keys.Contains(e.Key)).ToList();
        return entries.Count == 0 ? null : new CredentialSource(ns, name, entries, uid);
    }

    /// <summary>The registry keys a target of ours attributes to the source with this uid (the annotation only, the
    /// payload unread); null when none.</summary>
    public static HashSet<string>? RecordedRegistries(V1Secret? target, string ns, string name, string uid)
    {
        if (target is null || !TargetAssessment.IsOurs(target) || target.Type != SecretTypes.DockerConfigJson
            || target.Metadata.AnnotationsView()?.GetValueOrDefault(WellKnown.OriginsAnnotation) is not { Length: > 0 } text)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty($"{ns}/{name}", out var origin)
                || origin.ValueKind != JsonValueKind.Object
                || !origin.TryGetProperty("uid", out var recordedUid)
                || recordedUid.ValueKind != JsonValueKind.String
                || recordedUid.GetString() != uid
                || !origin.TryGetProperty("registries", out var registries)
                || registries.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var keys = registries.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal);
            return keys.Count == 0 ? null : keys;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

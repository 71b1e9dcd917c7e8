using System.Text.Json;

namespace PullSecretWebhook.EndToEnd.ControlPlane;

/// <summary>The API server's audit log (one JSON object per line, Metadata level) for the product's identities, as
/// data: one <see cref="AuditRecord"/> per request, whatever stages were logged for it.</summary>
internal sealed class AuditLog(string path)
{
    public string Path { get; } = path;

    public IReadOnlyList<AuditRecord> Read()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        // The API server keeps appending: read what is there, sharing the file, and ignore a half-written last line.
        var byId = new Dictionary<string, AuditRecord>();
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[^1] != '}')
            {
                continue;
            }

            AuditRecord record;
            try
            {
                record = Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }

            byId[record.AuditId] = byId.TryGetValue(record.AuditId, out var earlier)
                ? record with { Received = earlier.Received, Stages = earlier.Stages + 1 }
                : record;
        }

        return [.. byId.Values.OrderBy(r => r.Received)];
    }

    private static AuditRecord Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        string? Text(JsonElement element, string name) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var objectRef = root.TryGetProperty("objectRef", out var o) ? o : default;
        var code = root.TryGetProperty("responseStatus", out var status) && status.TryGetProperty("code", out var c) ? c.GetInt32() : (int?)null;
        return new AuditRecord(
            AuditId: Text(root, "auditID")!,
            Stage: Text(root, "stage")!,
            Verb: Text(root, "verb")!,
            User: Text(root.GetProperty("user"), "username")!,
            UserAgent: Text(root, "userAgent"),
            Uri: Text(root, "requestURI")!,
            Resource: Text(objectRef, "resource"),
            Subresource: Text(objectRef, "subresource"),
            Namespace: Text(objectRef, "namespace"),
            Name: Text(objectRef, "name"),
            Code: code,
            Received: DateTimeOffset.Parse(Text(root, "requestReceivedTimestamp")!, System.Globalization.CultureInfo.InvariantCulture),
            Stages: 1);
    }
}

/// <summary>One request as the audit log saw it.</summary>
internal sealed record AuditRecord(
    string AuditId,
    string Stage,
    string Verb,
    string User,
    string? UserAgent,
    string Uri,
    string? Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    int? Code,
    DateTimeOffset Received,
    int Stages)
{
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";

    public override string ToString() => $"{Received:HH:mm:ss.fff} {Code} {Verb} {Resource}{(Subresource is null ? "" : "/" + Subresource)} {Namespace}/{Name} by {User}";
}

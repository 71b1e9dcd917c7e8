using System.Text.Json;
using PullSecretWebhook.CredentialChecks;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Reconciliation.SlippedPods;

namespace PullSecretWebhook.Reconciliation.Status;

/// <summary><c>GET /status</c> (README, "/status"): per namespace the target's state, its sources and last sync; the
/// exported Secrets and whether they are usable. Names, states and registry keys only — never credentials.</summary>
internal static class StatusEndpoint
{
    public static async Task WriteAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var connection = services.GetRequiredService<KubeConnectionState>();
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteBoolean("connected", connection.IsConnected);
        if (!connection.IsConnected)
        {
            writer.WriteString("reason", connection.Description);
            writer.WriteStartArray("namespaces");
            writer.WriteEndArray();
            writer.WriteEndObject();
            return;
        }

        var caches = services.GetRequiredService<ClusterCaches>();
        var host = services.GetRequiredService<ReconciliationHost>();
        var status = services.GetRequiredService<StatusService>();
        writer.WriteBoolean("synced", caches.HasSynced);
        writer.WriteBoolean("leader", host.IsLeading);
        writer.WriteString("identity", host.Identity);
        writer.WriteString("leaderIdentity", host.Leader);
        writer.WriteNumber("queueDepth", host.QueueDepth);

        var reports = caches.HasSynced ? status.Namespaces() : [];
        writer.WriteStartArray("namespaces");
        foreach (var report in reports)
        {
            writer.WriteStartObject();
            writer.WriteString("namespace", report.Namespace);
            writer.WriteString("state", report.State);
            writer.WriteString("target", report.Target.ToString());
            writer.WriteString("reason", report.Reason.ToString());
            WriteStrings(writer, "sources", report.Sources);
            WriteStrings(writer, "registries", report.Registries);
            if (report.LastSync is { } lastSync)
            {
                writer.WriteString("lastSync", lastSync);
            }
            else
            {
                writer.WriteNull("lastSync");
            }

            writer.WriteString("error", report.LastError);
            WriteStrings(writer, "keptLastGood", report.KeptLastGood);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        var checks = services.GetRequiredService<CredentialCheckLoop>();
        var inventory = services.GetRequiredService<CredentialInventory>();
        writer.WriteStartObject("credentialChecks");
        writer.WriteString("mode", services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CredentialChecksOptions>>().Value.Mode.ToString());
        writer.WriteBoolean("checking", checks.IsRunning);
        writer.WriteEndObject();
        var kept = services.GetRequiredService<KeptLastGood>();
        writer.WriteStartArray("sources");
        foreach (var source in caches.HasSynced ? status.Sources() : [])
        {
            writer.WriteStartObject();
            writer.WriteString("source", source.Id);
            writer.WriteBoolean("usable", source.IsUsable);
            WriteStrings(writer, "registries", source.Source?.Entries.Select(e => e.Key) ?? []);
            writer.WriteString("problem", source.Problem);
            writer.WriteStartArray("checks");
            if (caches.Sources.TryGet(source.Namespace, source.Name, out var secret) && inventory.Of(secret) is { } credentials)
            {
                foreach (var (key, result) in checks.Report(credentials))
                {
                    WriteCheck(writer, key.Key, result);
                }
            }

            writer.WriteEndArray();
            writer.WriteNumber("lastGoodKeptIn", kept.KeptIn(source).Namespaces);
            writer.WriteBoolean("named", source.Named);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        var scanner = services.GetRequiredService<SlippedPodScanner>();
        writer.WriteStartObject("slippedPods");
        if (scanner.LastScan is { } lastScan)
        {
            writer.WriteString("lastScan", lastScan);
        }
        else
        {
            writer.WriteNull("lastScan");
        }

        writer.WriteStartArray("pods");
        foreach (var pod in scanner.Found)
        {
            writer.WriteStartObject();
            writer.WriteString("namespace", pod.Namespace);
            writer.WriteString("pod", pod.Name);
            WriteStrings(writer, "images", pod.Images);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>One key's verdict (README, "Credential checks"): verdict, reason, error code, when checked, when it
    /// expires. The reason is built from status codes and host names, never from a credential.</summary>
    private static void WriteCheck(Utf8JsonWriter writer, string key, CheckResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("key", key);
        writer.WriteString("verdict", result.Verdict.ToString());
        writer.WriteString("reason", result.Reason);
        writer.WriteString("errorCode", result.ErrorCode);
        WriteTime(writer, "checkedAt", result.CheckedAt);
        WriteTime(writer, "expiresAt", result.ExpiresAt);
        writer.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } at)
        {
            writer.WriteString(name, at);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}

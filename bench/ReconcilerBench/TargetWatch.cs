using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ReconcilerBench;

/// <summary>Follows every target Secret through one watch (field selector on the name) and remembers, per namespace,
/// the <c>auth</c> its merged config holds for the bench registry and when that was first seen.</summary>
internal sealed class TargetWatch(FakeApi api, string targetName, string registry)
{
    private readonly ConcurrentDictionary<string, (string? Auth, long SeenAt)> _targets = new(StringComparer.Ordinal);

    /// <summary>Namespace → (auth, Stopwatch timestamp of the event that set it).</summary>
    public IReadOnlyDictionary<string, (string? Auth, long SeenAt)> Targets => _targets;

    public async Task RunAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var path = $"/api/v1/secrets?watch=true&fieldSelector=metadata.name%3D{targetName}&resourceVersion={resourceVersion}&timeoutSeconds=86400";
        await using var stream = await api.WatchAsync(path, cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var seenAt = Stopwatch.GetTimestamp();
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var type = document.RootElement.GetProperty("type").GetString();
            var secret = document.RootElement.GetProperty("object");
            if (type is not ("ADDED" or "MODIFIED" or "DELETED"))
            {
                continue;
            }

            var ns = secret.GetProperty("metadata").GetProperty("namespace").GetString()!;
            if (type == "DELETED")
            {
                _targets.TryRemove(ns, out _);
                continue;
            }

            var auth = AuthOf(secret);
            _targets.AddOrUpdate(ns, (auth, seenAt), (_, old) => old.Auth == auth ? old : (auth, seenAt));
        }
    }

    /// <summary>Counts the namespaces among <paramref name="namespaces"/> whose target holds <paramref name="auth"/>, and
    /// the latest time one of them got it.</summary>
    public (int Correct, long LastAt) Count(IEnumerable<string> namespaces, string auth)
    {
        var correct = 0;
        long last = 0;
        foreach (var ns in namespaces)
        {
            if (_targets.TryGetValue(ns, out var seen) && seen.Auth == auth)
            {
                correct++;
                last = Math.Max(last, seen.SeenAt);
            }
        }

        return (correct, last);
    }

    private string? AuthOf(JsonElement secret)
    {
        if (!secret.TryGetProperty("data", out var data) || !data.TryGetProperty(".dockerconfigjson", out var encoded))
        {
            return null;
        }

        using var config = JsonDocument.Parse(Convert.FromBase64String(encoded.GetString()!));
        return config.RootElement.TryGetProperty("auths", out var auths)
            && auths.TryGetProperty(registry, out var entry)
            && entry.TryGetProperty("auth", out var auth)
                ? auth.GetString()
                : null;
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;

namespace FakeKubeApiServer.Store;

/// <summary>
/// The opaque <c>continue</c> value: like the real one (storage/etcd3 continueToken), URL-safe
/// base64 JSON without padding, naming the list's resourceVersion and the key to start after, so
/// every page comes from the same snapshot. A resourceVersion of -1 is the token a 410 hands out:
/// go on from the current state ("inconsistent" continuation).
/// </summary>
internal sealed record ContinueToken(long ResourceVersion, string StartAfter)
{
    public const long Inconsistent = -1;

    public bool IsInconsistent => ResourceVersion == Inconsistent;

    public string Encode()
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = ResourceVersion, ["start"] = StartAfter + "\0" };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static ContinueToken Decode(string token)
    {
        try
        {
            var standard = token.Replace('-', '+').Replace('_', '/');
            standard = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
            var json = JsonNode.Parse(Convert.FromBase64String(standard)) as JsonObject;
            var rv = json?["rv"]?.GetValue<long>() ?? 0;
            var start = json?["start"]?.GetValue<string>();
            if (json?["v"]?.GetValue<string>() != "meta.k8s.io/v1" || (rv <= 0 && rv != Inconsistent) || start is null)
            {
                throw Status.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            }

            return new ContinueToken(rv, start.TrimEnd('\0'));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw Status.BadRequest($"continue key is not valid: {e.Message}");
        }
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FakeKubeApiServer.Http;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Admission;

/// <summary>
/// meta/v1 Time and MicroTime as the real decoder reads them. Time is RFC 3339 (fraction allowed,
/// dropped: whole seconds are kept). MicroTime is Go's RFC3339Micro layout, which demands exactly
/// six fractional digits: <c>...05Z</c> or <c>...05.123Z</c> is a 400 before any validation, the
/// way a Lease or Event from a client that formats times the .NET way is refused. Both are
/// stored in UTC, as the server writes them back.
/// </summary>
internal static partial class TimeFormats
{
    public static void NormalizeTime(ResourceType type, JsonObject parent, string field) =>
        Normalize(type, parent, field, micro: false);

    public static void NormalizeMicroTime(ResourceType type, JsonObject parent, string field) =>
        Normalize(type, parent, field, micro: true);

    private static void Normalize(ResourceType type, JsonObject parent, string field, bool micro)
    {
        if (parent[field] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return;
        }

        var text = value.GetValue<string>();
        var layout = micro ? "2006-01-02T15:04:05.000000Z07:00" : "2006-01-02T15:04:05Z07:00";
        if (!(micro ? MicroTime() : Time()).IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            throw Status.BadRequest(
                $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: parsing time \"{text}\" as \"{layout}\": cannot parse \"{text}\" as \"{layout}\"");
        }

        var utc = parsed.UtcDateTime;
        parent[field] = micro
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex MicroTime();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Time();
}

using System.Globalization;
using Microsoft.Extensions.Logging.Testing;

namespace PullSecretWebhook.Tests.Support;

/// <summary>What the tests read from a <see cref="FakeLogRecord"/>: its fields as one map, and all it carries as one
/// text for the secret-hygiene searches.</summary>
internal static class FakeLogRecordExtensions
{
    /// <summary>The key/value pairs of the scopes around the record (outermost first), then of its own state, which
    /// wins on a clash: the fields a structured sink would write.</summary>
    public static IReadOnlyDictionary<string, string?> Fields(this FakeLogRecord record)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var scope in record.Scopes)
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    fields[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
                }
            }
        }

        foreach (var (key, value) in record.State as IEnumerable<KeyValuePair<string, string?>> ?? [])
        {
            fields[key] = value;
        }

        return fields;
    }

    /// <summary>Everything the record carries that a sink could write: the message, the exception with its inner
    /// exceptions and stack, every field, and the scopes and state that are not key/value pairs.</summary>
    public static string AllText(this FakeLogRecord record)
    {
        var parts = new List<string?> { record.Message, record.Exception?.ToString() };
        parts.AddRange(record.Fields().Select(f => $"{f.Key}={f.Value}"));
        parts.AddRange(record.Scopes.Where(s => s is not IEnumerable<KeyValuePair<string, object?>>).Select(s => Convert.ToString(s, CultureInfo.InvariantCulture)));
        if (record.State is string text)
        {
            parts.Add(text);
        }

        return string.Join(' ', parts.OfType<string>());
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;

namespace PullSecretWebhook.Observability;

/// <summary>A measurement's tags as a value-equal, order-independent key, built without allocating for up to four
/// tags (every instrument of ours has fewer). Values are kept as strings: that is all the text format can express.</summary>
internal readonly struct TagSet : IEquatable<TagSet>
{
    private const int InlineCapacity = 4;
    private readonly Inline _inline;
    private readonly KeyValuePair<string, string>[]? _spilled;

    public TagSet(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Count = tags.Length;
        if (tags.Length > InlineCapacity)
        {
            _spilled = new KeyValuePair<string, string>[tags.Length];
            Fill(tags, _spilled);
            return;
        }

        var inline = default(Inline);
        Fill(tags, ((Span<KeyValuePair<string, string>>)inline)[..tags.Length]);
        _inline = inline;
    }

    public int Count { get; }

    public KeyValuePair<string, string> this[int index] =>
        _spilled is not null ? _spilled[index] : ((ReadOnlySpan<KeyValuePair<string, string>>)_inline)[..Count][index];

    public bool Equals(TagSet other)
    {
        if (Count != other.Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            var (a, b) = (this[i], other[i]);
            if (!string.Equals(a.Key, b.Key, StringComparison.Ordinal) || !string.Equals(a.Value, b.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is TagSet other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < Count; i++)
        {
            hash.Add(this[i].Key, StringComparer.Ordinal);
            hash.Add(this[i].Value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private static void Fill(ReadOnlySpan<KeyValuePair<string, object?>> tags, Span<KeyValuePair<string, string>> target)
    {
        for (var i = 0; i < tags.Length; i++)
        {
            target[i] = new(tags[i].Key, tags[i].Value switch
            {
                null => "",
                string s => s,
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "",
            });
        }

        target.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
    }

    [InlineArray(InlineCapacity)]
    private struct Inline
    {
        private KeyValuePair<string, string> _element;
    }
}

namespace PullSecretWebhook.Credentials;

/// <summary>Go's <c>path/filepath.Match</c> on Unix, which the kubelet applies to each dot-separated host part of
/// a registry key: <c>*</c> (any run of characters except '/'), <c>?</c>, <c>[a-z]</c> / <c>[^...]</c> classes and
/// <c>\</c> escapes. A malformed pattern matches nothing (the kubelet ignores the error and counts it a miss).
/// https://pkg.go.dev/path/filepath#Match</summary>
internal static class HostGlob
{
    public static bool IsMatch(string pattern, string name)
    {
        var p = pattern.AsSpan();
        var n = name.AsSpan();
        while (p.Length > 0)
        {
            var star = ScanChunk(ref p, out var chunk);
            if (star && chunk.IsEmpty)
            {
                return !n.Contains('/');
            }

            var result = MatchChunk(chunk, n, out var consumed);
            if (result == ChunkResult.Match && (consumed == n.Length || p.Length > 0))
            {
                n = n[consumed..];
                continue;
            }

            if (result == ChunkResult.BadPattern)
            {
                return false;
            }

            var advanced = false;
            if (star)
            {
                for (var i = 0; i < n.Length && n[i] != '/'; i++)
                {
                    var candidate = n[(i + 1)..];
                    result = MatchChunk(chunk, candidate, out consumed);
                    if (result == ChunkResult.Match)
                    {
                        if (p.IsEmpty && consumed < candidate.Length)
                        {
                            continue;
                        }

                        n = candidate[consumed..];
                        advanced = true;
                        break;
                    }

                    if (result == ChunkResult.BadPattern)
                    {
                        return false;
                    }
                }
            }

            if (!advanced)
            {
                return false;
            }
        }

        return n.IsEmpty;
    }

    private static bool ScanChunk(ref ReadOnlySpan<char> pattern, out ReadOnlySpan<char> chunk)
    {
        var star = false;
        while (pattern.Length > 0 && pattern[0] == '*')
        {
            pattern = pattern[1..];
            star = true;
        }

        var inRange = false;
        var i = 0;
        for (; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                i++;
            }
            else if (c == '[')
            {
                inRange = true;
            }
            else if (c == ']')
            {
                inRange = false;
            }
            else if (c == '*' && !inRange)
            {
                break;
            }
        }

        chunk = pattern[..i];
        pattern = pattern[i..];
        return star;
    }

    /// <summary>Matches one chunk at the start of <paramref name="s"/>; <paramref name="consumed"/> is how much of it matched.</summary>
    private static ChunkResult MatchChunk(ReadOnlySpan<char> chunk, ReadOnlySpan<char> s, out int consumed)
    {
        consumed = 0;
        var length = s.Length;
        var failed = false;
        while (chunk.Length > 0)
        {
            if (!failed && s.IsEmpty)
            {
                failed = true;
            }

            switch (chunk[0])
            {
                case '[':
                    var r = failed ? '\0' : s[0];
                    if (!failed)
                    {
                        s = s[1..];
                    }

                    chunk = chunk[1..];
                    var negated = chunk.Length > 0 && chunk[0] == '^';
                    if (negated)
                    {
                        chunk = chunk[1..];
                    }

                    var matched = false;
                    var ranges = 0;
                    while (true)
                    {
                        if (chunk.Length > 0 && chunk[0] == ']' && ranges > 0)
                        {
                            chunk = chunk[1..];
                            break;
                        }

                        if (!TryGetEscaped(ref chunk, out var lo))
                        {
                            return ChunkResult.BadPattern;
                        }

                        var hi = lo;
                        if (chunk.Length > 0 && chunk[0] == '-')
                        {
                            chunk = chunk[1..];
                            if (!TryGetEscaped(ref chunk, out hi))
                            {
                                return ChunkResult.BadPattern;
                            }
                        }

                        matched |= lo <= r && r <= hi;
                        ranges++;
                    }

                    failed |= matched == negated;
                    break;
                case '?':
                    if (!failed)
                    {
                        failed = s[0] == '/';
                        s = s[1..];
                    }

                    chunk = chunk[1..];
                    break;
                case '\\':
                    chunk = chunk[1..];
                    if (chunk.IsEmpty)
                    {
                        return ChunkResult.BadPattern;
                    }

                    goto default;
                default:
                    if (!failed)
                    {
                        failed = chunk[0] != s[0];
                        s = s[1..];
                    }

                    chunk = chunk[1..];
                    break;
            }
        }

        if (failed)
        {
            return ChunkResult.NoMatch;
        }

        consumed = length - s.Length;
        return ChunkResult.Match;
    }

    private static bool TryGetEscaped(ref ReadOnlySpan<char> chunk, out char c)
    {
        c = '\0';
        if (chunk.IsEmpty || chunk[0] is '-' or ']')
        {
            return false;
        }

        if (chunk[0] == '\\')
        {
            chunk = chunk[1..];
            if (chunk.IsEmpty)
            {
                return false;
            }
        }

        c = chunk[0];
        chunk = chunk[1..];
        return !chunk.IsEmpty; // a class must be closed by ']'
    }

    private enum ChunkResult
    {
        Match,
        NoMatch,
        BadPattern,
    }
}

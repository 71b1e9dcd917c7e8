using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace PullSecretWebhook.Admission.Wire;

/// <summary>A forward-only, validating walk over a JSON body for <see cref="AdmissionReviewScanner"/>: objects and
/// arrays are entered member by member, anything else is checked and skipped. JSON is checked as strictly as
/// System.Text.Json's reader with default options (RFC 8259: no comments, no trailing commas, one value, whitespace
/// only between tokens), so a body it walks to the end the reference reader accepts too.</summary>
/// <remarks>Every method returns false both for invalid JSON and for what it declines to judge — a <c>\u</c> escape
/// or non-ASCII byte (the reference reader decodes and checks text), an escaped property name in an object whose
/// members are read (<see cref="NextMember"/>; names inside skipped values may be escaped), nesting deeper than
/// <see cref="MaxDepth"/> — and the caller then gives the body to the reference reader.</remarks>
internal ref struct JsonCursor(ReadOnlySpan<byte> json)
{
    /// <summary>Below the document reader's limit (64): deeper bodies go to it and get its error.</summary>
    public const int MaxDepth = 60;

    private readonly ReadOnlySpan<byte> _json = json;
    private int _position;
    private int _depth;

    /// <summary>1 for the bytes that end the plain run of a string: its closing quote, an escape, a control character
    /// (never allowed raw) or a non-ASCII byte (declined).</summary>
    private static ReadOnlySpan<byte> StringSpecial =>
    [
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ];

    /// <summary>The next byte after whitespace (not consumed), or 0 at the end.</summary>
    public byte Peek()
    {
        _position = SkipWhitespace(_json, _position);
        return _position < _json.Length ? _json[_position] : (byte)0;
    }

    /// <summary>Only whitespace is left.</summary>
    public bool AtEnd() => SkipWhitespace(_json, _position) == _json.Length;

    /// <summary>Enters the object that starts here.</summary>
    public bool BeginObject() => Begin((byte)'{');

    /// <summary>Enters the object that starts here: 1; or, when the value here is not an object, skips it: 0 (which
    /// counts as absent for every field the scanner reads); -1 when the JSON is invalid.</summary>
    public int EnterObject() => Peek() != '{' ? (SkipValue() ? 0 : -1) : (Begin((byte)'{') ? 1 : -1);

    /// <summary>Enters the array that starts here.</summary>
    public bool BeginArray() => Begin((byte)'[');

    /// <summary>The reading state of one object: whether a member has been read, and which members of interest.</summary>
    public struct Members
    {
        internal bool Started;
        private int _seen;

        /// <summary>True the first time member number <paramref name="member"/> (0–31) of this object is met; a second
        /// one makes the caller decline the body (which of two equal keys wins is the reference reader's business).</summary>
        public bool First(int member)
        {
            var bit = 1 << member;
            var first = (_seen & bit) == 0;
            _seen |= bit;
            return first;
        }
    }

    /// <summary>Moves to the next member of the object being read: 1 with its name (the value is next), 0 at the
    /// closing brace (consumed), -1 when the JSON is invalid or the name escaped.</summary>
    public int NextMember(ref Members members, out ReadOnlySpan<byte> name)
    {
        name = default;
        var next = Next((byte)'}', ref members.Started);
        if (next <= 0)
        {
            return next;
        }

        var b = Peek();
        var start = _position + 1;
        var escaped = false;
        var end = b == '"' ? EndOfString(_json, _position, out escaped) : -1;
        if (end < 0 || escaped)
        {
            return -1;
        }

        name = _json[start..(end - 1)];
        _position = end;
        if (Peek() != ':')
        {
            return -1;
        }

        _position++;
        return 1;
    }

    /// <summary>Moves to the next element of the array being read: 1 when one follows, 0 at the closing bracket
    /// (consumed), -1 when the JSON is invalid.</summary>
    public int NextElement(ref bool started) => Next((byte)']', ref started);

    private bool Begin(byte open)
    {
        if (Peek() != open || ++_depth > MaxDepth)
        {
            return false;
        }

        _position++;
        return true;
    }

    /// <summary>After the opening bracket or a value: 0 at <paramref name="close"/> (consumed), 1 when an item follows
    /// (a comma consumed unless none has been read yet), -1 otherwise.</summary>
    private int Next(byte close, ref bool started)
    {
        var b = Peek();
        if (b == close)
        {
            _position++;
            _depth--;
            return 0;
        }

        if (started)
        {
            if (b != ',')
            {
                return -1;
            }

            _position++;
        }

        started = true;
        return 1;
    }

    /// <summary>A string value as text; false for another type or an escaped string (the reference unescapes).</summary>
    public bool ReadString(out string value)
    {
        value = "";
        if (Peek() != '"')
        {
            return false;
        }

        var end = EndOfString(_json, _position, out var escaped);
        if (end < 0 || escaped)
        {
            return false;
        }

        value = Text(_json[(_position + 1)..(end - 1)]);
        _position = end;
        return true;
    }

    /// <summary>The values every review repeats come from literals, the rest are allocated.</summary>
    private static string Text(ReadOnlySpan<byte> raw) => raw switch
    {
        [] => "",
        _ when raw.SequenceEqual("Pod"u8) => "Pod",
        _ when raw.SequenceEqual("CREATE"u8) => "CREATE",
        _ => Encoding.ASCII.GetString(raw),
    };

    /// <summary>A string value as text, or null when the value is of another type (which counts as absent).</summary>
    public bool ReadOptionalString(out string? value)
    {
        value = null;
        return Peek() == '"' ? ReadString(out value) : SkipValue();
    }

    /// <summary>Checks and passes over the value that starts here, whatever it is. Iterative, on locals: most of a
    /// review's bytes (the parts of a Pod the decision does not read) go through here.</summary>
    public bool SkipValue()
    {
        var json = _json;
        var i = _position;
        var depth = 0;          // containers opened here
        ulong objects = 0;      // one bit per open container, 1 for an object; the lowest is the innermost
        var expectName = false; // just entered an object or read a comma in one: a member name comes next
        while (true)
        {
            i = SkipWhitespace(json, i);
            if (i >= json.Length)
            {
                return false;
            }

            if (expectName)
            {
                expectName = false;
                // A name here belongs to a value nobody reads, so an escape in it is only checked, not declined: the
                // API server's managedFields name list entries so (k:{\"name\":\"web\"}) in every Pod it admits.
                if (json[i] != '"' || (i = EndOfString(json, i, out _)) < 0)
                {
                    return false;
                }

                i = SkipWhitespace(json, i);
                if (i >= json.Length || json[i] != ':')
                {
                    return false;
                }

                i++;
                continue;
            }

            switch (json[i])
            {
                case (byte)'{' or (byte)'[':
                    if (_depth + ++depth > MaxDepth)
                    {
                        return false;
                    }

                    var isObject = json[i] == '{';
                    objects = (objects << 1) | (isObject ? 1UL : 0UL);
                    i = SkipWhitespace(json, i + 1);
                    if (i < json.Length && json[i] == (isObject ? '}' : ']'))
                    {
                        i++;
                        depth--;
                        objects >>= 1;
                        break;
                    }

                    expectName = isObject;
                    continue;
                case (byte)'"':
                    i = EndOfString(json, i, out _);
                    break;
                case (byte)'t':
                    i = EndOfLiteral(json, i, "true"u8);
                    break;
                case (byte)'f':
                    i = EndOfLiteral(json, i, "false"u8);
                    break;
                case (byte)'n':
                    i = EndOfLiteral(json, i, "null"u8);
                    break;
                default:
                    i = EndOfNumber(json, i);
                    break;
            }

            if (i < 0)
            {
                return false;
            }

            // A value is complete: close what it completes, then a comma or the end of this value.
            while (true)
            {
                if (depth == 0)
                {
                    _position = i;
                    return true;
                }

                i = SkipWhitespace(json, i);
                if (i >= json.Length)
                {
                    return false;
                }

                var inObject = (objects & 1) != 0;
                if (json[i] == ',')
                {
                    i++;
                    expectName = inObject;
                    break;
                }

                if (json[i] != (inObject ? '}' : ']'))
                {
                    return false;
                }

                i++;
                depth--;
                objects >>= 1;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            i++;
        }

        return i;
    }

    /// <summary>The string whose opening quote is at <paramref name="i"/>: the position after its closing quote, or -1.
    /// Raw control characters and escapes other than RFC 8259's are invalid; <c>\u</c> escapes and non-ASCII bytes are
    /// declined. Positions go in and out by value (no <c>ref</c>), so the callers' loop counters stay in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EndOfString(ReadOnlySpan<byte> json, int i, out bool escaped)
    {
        escaped = false;
        i++;
        while (true)
        {
            i = EndOfPlainRun(json, i);
            if (i >= json.Length)
            {
                return -1;
            }

            switch (json[i])
            {
                case (byte)'"':
                    return i + 1;
                case (byte)'\\' when i + 1 < json.Length
                                     && json[i + 1] is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    escaped = true;
                    i += 2;
                    break;
                default:
                    return -1;
            }
        }
    }

    /// <summary>The position of the next byte from <paramref name="i"/> that ends a string's plain run, or the length
    /// of the body. Sixteen bytes at a time where there are sixteen: a signed comparison with 0x20 finds both control
    /// characters and non-ASCII bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EndOfPlainRun(ReadOnlySpan<byte> json, int i)
    {
        if (Vector128.IsHardwareAccelerated)
        {
            var quote = Vector128.Create((byte)'"');
            var backslash = Vector128.Create((byte)'\\');
            var space = Vector128.Create((sbyte)0x20);
            while (i + Vector128<byte>.Count <= json.Length)
            {
                var chunk = Vector128.Create(json.Slice(i, Vector128<byte>.Count));
                var ends = Vector128.Equals(chunk, quote) | Vector128.Equals(chunk, backslash) | Vector128.LessThan(chunk.AsSByte(), space).AsByte();
                var mask = ends.ExtractMostSignificantBits();
                if (mask != 0)
                {
                    return i + BitOperations.TrailingZeroCount(mask);
                }

                i += Vector128<byte>.Count;
            }
        }

        var special = StringSpecial;
        while (i < json.Length && special[json[i]] == 0)
        {
            i++;
        }

        return i;
    }

    /// <summary>The position after <paramref name="literal"/> when it is at <paramref name="i"/>, or -1.</summary>
    private static int EndOfLiteral(ReadOnlySpan<byte> json, int i, ReadOnlySpan<byte> literal) =>
        json[i..].StartsWith(literal) ? i + literal.Length : -1;

    /// <summary>RFC 8259 §6, <c>-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?</c>: the position after the
    /// number at <paramref name="i"/>, or -1. What follows is checked by the caller, which expects a separator.</summary>
    private static int EndOfNumber(ReadOnlySpan<byte> json, int i)
    {
        if (At(json, i) == '-')
        {
            i++;
        }

        switch (At(json, i))
        {
            case (byte)'0':
                i++;
                break;
            case >= (byte)'1' and <= (byte)'9':
                i = EndOfDigits(json, i);
                break;
            default:
                return -1;
        }

        if (At(json, i) == '.')
        {
            var fraction = EndOfDigits(json, i + 1);
            if (fraction == i + 1)
            {
                return -1;
            }

            i = fraction;
        }

        if (At(json, i) is (byte)'e' or (byte)'E')
        {
            i++;
            if (At(json, i) is (byte)'+' or (byte)'-')
            {
                i++;
            }

            var exponent = EndOfDigits(json, i);
            if (exponent == i)
            {
                return -1;
            }

            i = exponent;
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte At(ReadOnlySpan<byte> json, int i) => i < json.Length ? json[i] : (byte)0;

    private static int EndOfDigits(ReadOnlySpan<byte> json, int i)
    {
        while (At(json, i) is >= (byte)'0' and <= (byte)'9')
        {
            i++;
        }

        return i;
    }
}

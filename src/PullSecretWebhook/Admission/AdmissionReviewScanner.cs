using System.Diagnostics.CodeAnalysis;
using System.Text;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Admission;

/// <summary>The fast way to read a review: one forward pass over the body that checks it is JSON and picks out the
/// fields the decision needs, without building a document. Tokenising a 4 KB Pod into a <c>JsonDocument</c> costs
/// more than everything else the webhook does per request, and the decision reads a dozen fields of it.</summary>
/// <remarks>
/// <para>It answers only when it is sure to agree with <see cref="AdmissionReviewReader"/>, the reference, and declines
/// (returns false) otherwise: a body that is not all ASCII or holds a <c>\u</c> escape (so every string is text without
/// decoding anything), an escaped property name, a field it reads given twice in one object, an escape in a value it
/// keeps, nesting deeper than the document reader allows, a body that is not valid JSON, or one that is not an
/// AdmissionReview. The endpoint then parses the body with <c>JsonDocument</c>, whose answer or error message stands.
/// The API server (Go's encoder) sends ASCII-escaped or plain UTF-8 JSON without duplicate keys, so real reviews
/// take this path; <c>AdmissionReviewScannerTests</c> holds the two readers to the same answer.</para>
/// <para>JSON is checked as strictly as System.Text.Json's reader with default options (RFC 8259: no comments, no
/// trailing commas, one value, whitespace only between tokens), so a body it accepts the reference accepts too.</para>
/// </remarks>
internal ref struct AdmissionReviewScanner
{
    /// <summary>Below the document reader's limit (64): deeper bodies go to it and get its error.</summary>
    private const int MaxDepth = 60;

    /// <summary>1 for the bytes that end the plain run of a string: its closing quote, an escape, a control character
    /// (never allowed raw) or a non-ASCII byte (declined: the reference checks UTF-8).</summary>
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

    private static readonly byte[] InjectLabel = Encoding.UTF8.GetBytes(WellKnown.InjectLabel);
    private static readonly byte[] MirrorPodAnnotation = Encoding.UTF8.GetBytes(WellKnown.MirrorPodAnnotation);

    private readonly ReadOnlySpan<byte> _json;
    private int _position;
    private int _depth;

    private AdmissionReviewScanner(ReadOnlySpan<byte> json) => _json = json;

    /// <summary>Reads <paramref name="json"/> into the same request <see cref="AdmissionReviewReader.TryRead"/> would;
    /// false when it cannot be sure to (see the remarks): the caller then uses the reference reader.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out string apiVersion, [NotNullWhen(true)] out AdmissionRequest? request)
    {
        apiVersion = "";
        request = null;
        var scanner = new AdmissionReviewScanner(json);
        return scanner.ReadReview(out apiVersion, out request) && scanner.AtEnd();
    }

    private bool ReadReview(out string apiVersion, out AdmissionRequest? request)
    {
        apiVersion = "";
        request = null;
        if (!BeginObject())
        {
            return false;
        }

        var seen = new Seen();
        var first = true;
        int next;
        while ((next = NextMember(ref first, out var key)) > 0)
        {
            if (key.SequenceEqual("apiVersion"u8))
            {
                if (!seen.First(0) || !ReadString(out var value) || AdmissionApiVersion.Recognise(value) is not { } version)
                {
                    return false;
                }

                apiVersion = version;
            }
            else if (key.SequenceEqual("request"u8))
            {
                if (!seen.First(1) || Peek() != '{' || !ReadRequest(out request))
                {
                    return false;
                }
            }
            else if (!SkipValue())
            {
                return false;
            }
        }

        return next == 0 && apiVersion.Length > 0 && request is not null;
    }

    private bool ReadRequest([NotNullWhen(true)] out AdmissionRequest? request)
    {
        request = null;
        string? uid = null, group = null, kind = null, subResource = null, operation = null, ns = null, name = null, user = null;
        var dryRun = false;
        PodFacts? pod = null;
        if (!BeginObject())
        {
            return false;
        }

        var seen = new Seen();
        var first = true;
        int next;
        while ((next = NextMember(ref first, out var key)) > 0)
        {
            var ok = key switch
            {
                _ when key.SequenceEqual("uid"u8) => seen.First(0) && ReadUid(out uid),
                _ when key.SequenceEqual("kind"u8) => seen.First(1) && ReadKind(out group, out kind),
                _ when key.SequenceEqual("subResource"u8) => seen.First(2) && ReadOptionalString(out subResource),
                _ when key.SequenceEqual("operation"u8) => seen.First(3) && ReadOptionalString(out operation),
                _ when key.SequenceEqual("namespace"u8) => seen.First(4) && ReadOptionalString(out ns),
                _ when key.SequenceEqual("name"u8) => seen.First(5) && ReadOptionalString(out name),
                _ when key.SequenceEqual("dryRun"u8) => seen.First(6) && ReadTrue(out dryRun),
                _ when key.SequenceEqual("userInfo"u8) => seen.First(7) && ReadUserName(out user),
                _ when key.SequenceEqual("object"u8) => seen.First(8) && ReadPod(out pod),
                _ => SkipValue(),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (next < 0)
        {
            return false;
        }

        request = new AdmissionRequest
        {
            Uid = uid ?? "",
            KindGroup = group ?? "",
            Kind = kind ?? "",
            SubResource = subResource ?? "",
            Operation = operation ?? "",
            Namespace = ns,
            Name = name,
            DryRun = dryRun,
            UserName = user,
            Pod = pod,
        };
        return true;
    }

    /// <summary>A string, or null; any other type is an envelope error the reference reader reports.</summary>
    private bool ReadUid(out string? uid)
    {
        uid = null;
        return Peek() == 'n' ? SkipValue() : ReadString(out uid);
    }

    private bool ReadKind(out string? group, out string? kind)
    {
        group = kind = null;
        if (Peek() != '{')
        {
            return SkipValue();
        }

        if (!BeginObject())
        {
            return false;
        }

        var seen = new Seen();
        var first = true;
        int next;
        while ((next = NextMember(ref first, out var key)) > 0)
        {
            var ok = key switch
            {
                _ when key.SequenceEqual("group"u8) => seen.First(0) && ReadOptionalString(out group),
                _ when key.SequenceEqual("kind"u8) => seen.First(1) && ReadOptionalString(out kind),
                _ => SkipValue(),
            };
            if (!ok)
            {
                return false;
            }
        }

        return next == 0;
    }

    private bool ReadUserName(out string? userName)
    {
        userName = null;
        if (Peek() != '{')
        {
            return SkipValue();
        }

        if (!BeginObject())
        {
            return false;
        }

        var seen = new Seen();
        var first = true;
        int next;
        while ((next = NextMember(ref first, out var key)) > 0)
        {
            var ok = key.SequenceEqual("username"u8) ? seen.First(0) && ReadOptionalString(out userName) : SkipValue();
            if (!ok)
            {
                return false;
            }
        }

        return next == 0;
    }

    /// <summary><c>request.object</c>: its metadata and spec; null when it is not an object.</summary>
    private bool ReadPod(out PodFacts? pod)
    {
        pod = null;
        if (Peek() != '{')
        {
            return SkipValue();
        }

        var facts = new PodFacts();
        if (!BeginObject())
        {
            return false;
        }

        var seen = new Seen();
        var first = true;
        int next;
        while ((next = NextMember(ref first, out var key)) > 0)
        {
            var ok = key switch
            {
                _ when key.SequenceEqual("metadata"u8) => seen.First(0) && ReadMetadata(ref facts),
                _ when key.SequenceEqual("spec"u8) => seen.First(1) && ReadSpec(ref facts),
                _ => SkipValue(),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (next < 0)
        {
            return false;
        }

        pod = facts;
        return true;
    }

    private bool ReadMetadata(ref PodFacts facts)
    {
        if (Peek() != '{')
        {
            return SkipValue();
        }

        string? name = null, generateName = null, ns = null, injectLabel = null;
        var mirror = false;
        if (!BeginObject())
        {
            return false;
        }

        var seen = new Seen();
        var first = true;
        int next;
        while ((next = NextMember(ref first, out var key)) > 0)
        {
            var ok = key switch
            {
                _ when key.SequenceEqual("name"u8) => seen.First(0) && ReadOptionalString(out name),
                _ when key.SequenceEqual("generateName"u8) => seen.First(1) && ReadOptionalString(out generateName),
                _ when key.SequenceEqual("namespace"u8) => seen.First(2) && ReadOptionalString(out ns),
                _ when key.SequenceEqual("labels"u8) => seen.First(3) && ReadInjectLabel(out injectLabel),
                _ when key.SequenceEqual("annotations"u8) => seen.First(4) && ReadMirrorAnnotation(out mirror),
                _ => SkipValue(),
            };
            if (!ok)
            {
                return false;
            }
        }

        facts = facts with { Name = name, GenerateName = generateName, Namespace = ns, InjectLabel = injectLabel, IsMirror = mirror };
        return next == 0;
    }

    private bool ReadInjectLabel(out string? value)
    {
        value = null;
        if (Peek() != '{')
        {
            return SkipValue();
        }

        if (!BeginObject())
        {
            return false;
        }

        var seen = new Seen();
        var first = true;
        int next;
        while ((next = NextMember(ref first, out var key)) > 0)
        {
            var ok = key.SequenceEqual(InjectLabel) ? seen.First(0) && ReadOptionalString(out value) : SkipValue();
            if (!ok)
            {
                return false;
            }
        }

        return next == 0;
    }

    private bool ReadMirrorAnnotation(out bool present)
    {
        present = false;
        if (Peek() != '{')
        {
            return SkipValue();
        }

        if (!BeginObject())
        {
            return false;
        }

        var seen = new Seen();
        var first = true;
        int next;
        while ((next = NextMember(ref first, out var key)) > 0)
        {
            if (key.SequenceEqual(MirrorPodAnnotation))
            {
                if (!seen.First(0))
                {
                    return false;
                }

                present = true;
            }

            if (!SkipValue())
            {
                return false;
            }
        }

        return next == 0;
    }

    private bool ReadSpec(ref PodFacts facts)
    {
        if (Peek() != '{')
        {
            return SkipValue();
        }

        var field = PullSecretsField.Absent;
        List<string>? names = null, images = null;
        if (!BeginObject())
        {
            return false;
        }

        var seen = new Seen();
        var first = true;
        int next;
        while ((next = NextMember(ref first, out var key)) > 0)
        {
            var ok = key switch
            {
                _ when key.SequenceEqual("imagePullSecrets"u8) => seen.First(0) && ReadPullSecrets(out field, ref names),
                _ when key.SequenceEqual("containers"u8) => seen.First(1) && ReadImages(ref images),
                _ when key.SequenceEqual("initContainers"u8) => seen.First(2) && ReadImages(ref images),
                _ when key.SequenceEqual("ephemeralContainers"u8) => seen.First(3) && ReadImages(ref images),
                _ => SkipValue(),
            };
            if (!ok)
            {
                return false;
            }
        }

        facts = facts with { HasSpec = true, PullSecrets = field, PullSecretNames = names ?? [], Images = images ?? [] };
        return next == 0;
    }

    private bool ReadPullSecrets(out PullSecretsField field, ref List<string>? names)
    {
        switch (Peek())
        {
            case (byte)'n':
                field = PullSecretsField.Absent;
                return SkipValue();
            case not (byte)'[':
                field = PullSecretsField.NotAList;
                return SkipValue();
        }

        field = PullSecretsField.List;
        return ReadEach("name"u8, ref names);
    }

    private bool ReadImages(ref List<string>? images) => Peek() == '[' ? ReadEach("image"u8, ref images) : SkipValue();

    /// <summary>An array: collects the string value of <paramref name="member"/> of each entry that is an object.</summary>
    private bool ReadEach(ReadOnlySpan<byte> member, ref List<string>? values)
    {
        if (!Enter())
        {
            return false;
        }

        _position++;
        var first = true;
        int next;
        while ((next = NextElement(ref first)) > 0)
        {
            if (Peek() != '{')
            {
                if (!SkipValue())
                {
                    return false;
                }

                continue;
            }

            string? value = null;
            if (!BeginObject())
        {
            return false;
        }

            var seen = new Seen();
            var firstMember = true;
            int nextMember;
            while ((nextMember = NextMember(ref firstMember, out var key)) > 0)
            {
                var ok = key.SequenceEqual(member) ? seen.First(0) && ReadOptionalString(out value) : SkipValue();
                if (!ok)
                {
                    return false;
                }
            }

            if (nextMember < 0)
            {
                return false;
            }

            if (value is not null)
            {
                (values ??= []).Add(value);
            }
        }

        return next == 0;
    }

    /// <summary>A string value kept as text, or null when the value is of another type (which counts as absent).</summary>
    private bool ReadOptionalString(out string? value)
    {
        value = null;
        return Peek() == '"' ? ReadString(out value) : SkipValue();
    }

    /// <summary><c>true</c> only for the literal true; any other value counts as false.</summary>
    private bool ReadTrue(out bool value)
    {
        value = Peek() == 't';
        return SkipValue();
    }

    /// <summary>A string value kept as text. Declines an escaped one: the reference reader unescapes it.</summary>
    private bool ReadString([NotNullWhen(true)] out string? value)
    {
        value = null;
        if (Peek() != '"' || !ScanString(out var raw, out var escaped) || escaped)
        {
            return false;
        }

        value = Encoding.ASCII.GetString(raw);
        return true;
    }

    // --- JSON structure ------------------------------------------------------------------------------------------

    /// <summary>The next byte after whitespace, or 0 at the end.</summary>
    private byte Peek()
    {
        while (_position < _json.Length)
        {
            var b = _json[_position];
            if (b is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            {
                return b;
            }

            _position++;
        }

        return 0;
    }

    private bool AtEnd() => Peek() == 0 && _position == _json.Length;

    private bool Enter() => ++_depth <= MaxDepth;

    /// <summary>Consumes the <c>{</c> the caller has peeked.</summary>
    private bool BeginObject()
    {
        if (Peek() != '{' || !Enter())
        {
            return false;
        }

        _position++;
        return true;
    }

    /// <summary>Moves to the next member of the object being read: 1 with its name (unescaped names only; the value
    /// is next), 0 at the closing brace (consumed), -1 when the JSON is invalid or the name is escaped.</summary>
    private int NextMember(ref bool first, out ReadOnlySpan<byte> key)
    {
        key = default;
        var b = Peek();
        if (b == '}')
        {
            _position++;
            _depth--;
            return 0;
        }

        if (!first)
        {
            if (b != ',')
            {
                return -1;
            }

            _position++;
            b = Peek();
        }

        first = false;
        if (b != '"' || !ScanString(out key, out var escaped) || escaped || Peek() != ':')
        {
            return -1;
        }

        _position++;
        return 1;
    }

    /// <summary>Moves to the next element of the array being read: 1 when one follows, 0 at the closing bracket
    /// (consumed), -1 when the JSON is invalid.</summary>
    private int NextElement(ref bool first)
    {
        var b = Peek();
        if (b == ']')
        {
            _position++;
            _depth--;
            return 0;
        }

        if (!first)
        {
            if (b != ',')
            {
                return -1;
            }

            _position++;
        }

        first = false;
        return 1;
    }

    /// <summary>Checks and passes over any JSON value.</summary>
    private bool SkipValue()
    {
        switch (Peek())
        {
            case (byte)'{':
            {
                if (!BeginObject())
                {
                    return false;
                }

                var first = true;
                while (NextMember(ref first, out _) is var next && next != 0)
                {
                    if (next < 0 || !SkipValue())
                    {
                        return false;
                    }
                }

                return true;
            }

            case (byte)'[':
            {
                if (!Enter())
                {
                    return false;
                }

                _position++;
                var first = true;
                while (NextElement(ref first) is var next && next != 0)
                {
                    if (next < 0 || !SkipValue())
                    {
                        return false;
                    }
                }

                return true;
            }

            case (byte)'"':
                return ScanString(out _, out _);
            case (byte)'t':
                return Literal("true"u8);
            case (byte)'f':
                return Literal("false"u8);
            case (byte)'n':
                return Literal("null"u8);
            case (byte)'-':
            case >= (byte)'0' and <= (byte)'9':
                return Number();
            default:
                return false;
        }
    }

    /// <summary>A string at the current position: its raw content (between the quotes) and whether it holds escapes.
    /// Raw control characters are invalid JSON; so is an escape other than RFC 8259's. A <c>\u</c> escape or a
    /// non-ASCII byte is declined.</summary>
    private bool ScanString(out ReadOnlySpan<byte> raw, out bool escaped)
    {
        raw = default;
        escaped = false;
        var json = _json;
        var start = _position + 1;
        var i = start;
        var special = StringSpecial;
        while (true)
        {
            // Most strings of a Pod are short names and values: a table lookup per byte beats a vector search's set-up.
            while ((uint)i < (uint)json.Length && special[json[i]] == 0)
            {
                i++;
            }

            if ((uint)i >= (uint)json.Length)
            {
                return false;
            }

            switch (json[i])
            {
                case (byte)'"':
                    raw = json[start..i];
                    _position = i + 1;
                    return true;
                case (byte)'\\' when i + 1 < json.Length
                                     && json[i + 1] is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    escaped = true;
                    i += 2;
                    break;
                default:
                    return false;
            }
        }
    }

    private bool Literal(ReadOnlySpan<byte> literal)
    {
        if (!_json[_position..].StartsWith(literal))
        {
            return false;
        }

        _position += literal.Length;
        return true;
    }

    /// <summary>RFC 8259 §6: <c>-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?</c>. What follows is checked by
    /// the caller, which expects a separator.</summary>
    private bool Number()
    {
        if (Current() == '-')
        {
            _position++;
        }

        switch (Current())
        {
            case (byte)'0':
                _position++;
                break;
            case >= (byte)'1' and <= (byte)'9':
                SkipDigits();
                break;
            default:
                return false;
        }

        if (Current() == '.')
        {
            _position++;
            if (SkipDigits() == 0)
            {
                return false;
            }
        }

        if (Current() is (byte)'e' or (byte)'E')
        {
            _position++;
            if (Current() is (byte)'+' or (byte)'-')
            {
                _position++;
            }

            if (SkipDigits() == 0)
            {
                return false;
            }
        }

        return true;
    }

    private byte Current() => _position < _json.Length ? _json[_position] : (byte)0;

    private int SkipDigits()
    {
        var start = _position;
        while (Current() is >= (byte)'0' and <= (byte)'9')
        {
            _position++;
        }

        return _position - start;
    }

    /// <summary>Which of an object's members of interest have been read: a second one declines the body (which of
    /// two equal keys wins is the reference reader's business).</summary>
    private struct Seen
    {
        private int _bits;

        public bool First(int member)
        {
            var bit = 1 << member;
            var first = (_bits & bit) == 0;
            _bits |= bit;
            return first;
        }
    }
}

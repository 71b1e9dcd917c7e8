using System.Diagnostics.CodeAnalysis;
using System.Text;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Admission.Wire;

/// <summary>The fast way to read a review: one forward pass over the body that checks it is JSON and picks out the
/// fields the decision needs, without building a document. Tokenising a 4 KB Pod into a <c>JsonDocument</c> costs
/// more than everything else the webhook does per request, and the decision reads a dozen fields of it.</summary>
/// <remarks>
/// <para>It answers only when it is sure to agree with <see cref="AdmissionReviewReader"/>, the reference, and declines
/// (returns false) otherwise: a body that is not all ASCII or holds a <c>\u</c> escape (so every string is text without
/// decoding anything), an escaped property name in an object it reads (names in the values it skips, such as
/// managedFields' <c>k:{\"name\":\"web\"}</c>, may be escaped), a field it reads given twice in one object, an
/// escape in a value it keeps, nesting deeper than the document reader allows, a body that is not valid JSON, or one that is not an
/// AdmissionReview. The endpoint then parses the body with <c>JsonDocument</c>, whose answer or error message stands.
/// The API server (Go's encoder) sends ASCII-escaped or plain UTF-8 JSON without duplicate keys, so real reviews
/// take this path; <c>AdmissionReviewScannerTests</c> holds the two readers to the same answer.</para>
/// <para>The walk itself, and how strictly it checks JSON, is <see cref="JsonCursor"/>'s.</para>
/// </remarks>
internal ref struct AdmissionReviewScanner
{
    private static readonly byte[] InjectLabel = Encoding.UTF8.GetBytes(WellKnown.InjectLabel);
    private static readonly byte[] MirrorPodAnnotation = Encoding.UTF8.GetBytes(WellKnown.MirrorPodAnnotation);

    private JsonCursor _json;

    private AdmissionReviewScanner(ReadOnlySpan<byte> json) => _json = new JsonCursor(json);

    /// <summary>Reads <paramref name="json"/> into the same request <see cref="AdmissionReviewReader.TryRead"/> would;
    /// false when it cannot be sure to (see the remarks): the caller then uses the reference reader.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out string apiVersion, [NotNullWhen(true)] out AdmissionRequest? request)
    {
        var scanner = new AdmissionReviewScanner(json);
        return scanner.ReadReview(out apiVersion, out request) && scanner._json.AtEnd();
    }

    private bool ReadReview(out string apiVersion, out AdmissionRequest? request)
    {
        apiVersion = "";
        request = null;
        if (!_json.BeginObject())
        {
            return false;
        }

        var members = new JsonCursor.Members();
        int next;
        while ((next = _json.NextMember(ref members, out var key)) > 0)
        {
            if (key.SequenceEqual("apiVersion"u8))
            {
                if (!members.First(0) || !_json.ReadString(out var value) || AdmissionApiVersion.Recognise(value) is not { } version)
                {
                    return false;
                }

                apiVersion = version;
            }
            else if (key.SequenceEqual("request"u8))
            {
                if (!members.First(1) || _json.Peek() != '{' || !ReadRequest(out request))
                {
                    return false;
                }
            }
            else if (!_json.SkipValue())
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
        if (!_json.BeginObject())
        {
            return false;
        }

        var members = new JsonCursor.Members();
        int next;
        while ((next = _json.NextMember(ref members, out var key)) > 0)
        {
            var ok = key switch
            {
                _ when key.SequenceEqual("uid"u8) => members.First(0) && ReadUid(out uid),
                _ when key.SequenceEqual("kind"u8) => members.First(1) && ReadKind(out group, out kind),
                _ when key.SequenceEqual("subResource"u8) => members.First(2) && _json.ReadOptionalString(out subResource),
                _ when key.SequenceEqual("operation"u8) => members.First(3) && _json.ReadOptionalString(out operation),
                _ when key.SequenceEqual("namespace"u8) => members.First(4) && _json.ReadOptionalString(out ns),
                _ when key.SequenceEqual("name"u8) => members.First(5) && _json.ReadOptionalString(out name),
                _ when key.SequenceEqual("dryRun"u8) => members.First(6) && ReadTrue(out dryRun),
                _ when key.SequenceEqual("userInfo"u8) => members.First(7) && ReadMember("username"u8, out user),
                _ when key.SequenceEqual("object"u8) => members.First(8) && ReadPod(out pod),
                _ => _json.SkipValue(),
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
        return _json.Peek() == 'n' ? _json.SkipValue() : _json.ReadString(out uid);
    }

    private bool ReadKind(out string? group, out string? kind)
    {
        group = kind = null;
        if (_json.EnterObject() is var entered and <= 0)
        {
            return entered == 0;
        }

        var members = new JsonCursor.Members();
        int next;
        while ((next = _json.NextMember(ref members, out var key)) > 0)
        {
            var ok = key switch
            {
                _ when key.SequenceEqual("group"u8) => members.First(0) && _json.ReadOptionalString(out group),
                _ when key.SequenceEqual("kind"u8) => members.First(1) && _json.ReadOptionalString(out kind),
                _ => _json.SkipValue(),
            };
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
        if (_json.EnterObject() is var entered and <= 0)
        {
            return entered == 0;
        }

        var facts = new PodFacts();
        var members = new JsonCursor.Members();
        int next;
        while ((next = _json.NextMember(ref members, out var key)) > 0)
        {
            var ok = key switch
            {
                _ when key.SequenceEqual("metadata"u8) => members.First(0) && ReadMetadata(ref facts),
                _ when key.SequenceEqual("spec"u8) => members.First(1) && ReadSpec(ref facts),
                _ => _json.SkipValue(),
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
        if (_json.EnterObject() is var entered and <= 0)
        {
            return entered == 0;
        }

        string? name = null, generateName = null, ns = null, injectLabel = null;
        var mirror = false;
        var members = new JsonCursor.Members();
        int next;
        while ((next = _json.NextMember(ref members, out var key)) > 0)
        {
            var ok = key switch
            {
                _ when key.SequenceEqual("name"u8) => members.First(0) && _json.ReadOptionalString(out name),
                _ when key.SequenceEqual("generateName"u8) => members.First(1) && _json.ReadOptionalString(out generateName),
                _ when key.SequenceEqual("namespace"u8) => members.First(2) && _json.ReadOptionalString(out ns),
                _ when key.SequenceEqual("labels"u8) => members.First(3) && ReadMember(InjectLabel, out injectLabel),
                _ when key.SequenceEqual("annotations"u8) => members.First(4) && ReadMirrorAnnotation(out mirror),
                _ => _json.SkipValue(),
            };
            if (!ok)
            {
                return false;
            }
        }

        facts = facts with { Name = name, GenerateName = generateName, Namespace = ns, InjectLabel = injectLabel, IsMirror = mirror };
        return next == 0;
    }

    private bool ReadMirrorAnnotation(out bool present)
    {
        present = false;
        if (_json.EnterObject() is var entered and <= 0)
        {
            return entered == 0;
        }

        var members = new JsonCursor.Members();
        int next;
        while ((next = _json.NextMember(ref members, out var key)) > 0)
        {
            if (key.SequenceEqual(MirrorPodAnnotation))
            {
                if (!members.First(0))
                {
                    return false;
                }

                present = true;
            }

            if (!_json.SkipValue())
            {
                return false;
            }
        }

        return next == 0;
    }

    private bool ReadSpec(ref PodFacts facts)
    {
        if (_json.EnterObject() is var entered and <= 0)
        {
            return entered == 0;
        }

        var field = PullSecretsField.Absent;
        List<string>? names = null, images = null;
        var members = new JsonCursor.Members();
        int next;
        while ((next = _json.NextMember(ref members, out var key)) > 0)
        {
            var ok = key switch
            {
                _ when key.SequenceEqual("imagePullSecrets"u8) => members.First(0) && ReadPullSecrets(out field, ref names),
                _ when key.SequenceEqual("containers"u8) => members.First(1) && ReadImages(ref images),
                _ when key.SequenceEqual("initContainers"u8) => members.First(2) && ReadImages(ref images),
                _ when key.SequenceEqual("ephemeralContainers"u8) => members.First(3) && ReadImages(ref images),
                _ => _json.SkipValue(),
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
        switch (_json.Peek())
        {
            case (byte)'n':
                field = PullSecretsField.Absent;
                return _json.SkipValue();
            case not (byte)'[':
                field = PullSecretsField.NotAList;
                return _json.SkipValue();
        }

        field = PullSecretsField.List;
        return ReadEach("name"u8, ref names);
    }

    private bool ReadImages(ref List<string>? images) => _json.Peek() == '[' ? ReadEach("image"u8, ref images) : _json.SkipValue();

    /// <summary>An object: the string value of its <paramref name="member"/>, or null; any other value is skipped.</summary>
    private bool ReadMember(ReadOnlySpan<byte> member, out string? value)
    {
        value = null;
        if (_json.EnterObject() is var entered and <= 0)
        {
            return entered == 0;
        }

        var members = new JsonCursor.Members();
        int next;
        while ((next = _json.NextMember(ref members, out var key)) > 0)
        {
            var ok = key.SequenceEqual(member) ? members.First(0) && _json.ReadOptionalString(out value) : _json.SkipValue();
            if (!ok)
            {
                return false;
            }
        }

        return next == 0;
    }

    /// <summary>An array: collects the string value of <paramref name="member"/> of each entry that is an object.</summary>
    private bool ReadEach(ReadOnlySpan<byte> member, ref List<string>? values)
    {
        if (!_json.BeginArray())
        {
            return false;
        }

        var started = false;
        int next;
        while ((next = _json.NextElement(ref started)) > 0)
        {
            if (!ReadMember(member, out var value))
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

    /// <summary><c>true</c> only for the literal true; any other value counts as false.</summary>
    private bool ReadTrue(out bool value)
    {
        value = _json.Peek() == 't';
        return _json.SkipValue();
    }
}

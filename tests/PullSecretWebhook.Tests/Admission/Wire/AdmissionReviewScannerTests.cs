using System.Text;
using System.Text.Json;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Admission.Wire;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Admission.Wire;

/// <summary>The fast reader against the reference: whenever <see cref="AdmissionReviewScanner"/> answers, it must
/// answer what <see cref="AdmissionReviewReader"/> answers on the parsed document, and it must never accept a body the
/// reference refuses. Where it declines, the endpoint falls back to the reference, so declining is always safe.</summary>
public sealed class AdmissionReviewScannerTests
{
    private const string Pod = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1","kind":{"group":"","version":"v1","kind":"Pod"},
        "namespace":"team-a","operation":"CREATE","userInfo":{"username":"alice","groups":["a","b"]},"dryRun":false,
        "object":{"metadata":{"generateName":"web-","labels":{"app":"web"},"annotations":{"note":"x"}},
        "spec":{"containers":[{"name":"c","image":"registry.example.com/a:1"}],"initContainers":[{"image":"busybox"}]}},"oldObject":null}}
        """;

    public static TheoryData<string> FixtureFiles() =>
        [.. Fixtures.AdmissionReviews().Append(Path.Combine(Fixtures.Directory, "bench", "pod-create-review-4k.json")).Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public void TryRead_RealReview_TakesTheFastPathAndAgreesWithTheReference(string file)
    {
        var path = Fixtures.AdmissionReviews().FirstOrDefault(f => Path.GetFileName(f) == file)
            ?? Path.Combine(Fixtures.Directory, "bench", file);
        var body = File.ReadAllBytes(path);

        Assert.True(AdmissionReviewScanner.TryRead(body, out _, out _), "the API server's documents must take the fast path");
        ReaderAgreement.AssertScannerReadsAsTheReference(body);
    }

    public static TheoryData<string> AcceptedBodies() =>
    [
        Pod,
        // whitespace of every allowed kind between every token
        " \t\r\n" + Pod.Replace("\":", "\" :\n\t ").Replace("\",", "\"\r\n, ") + " \n",
        // numbers, literals, escapes, nesting and empty containers in fields nobody reads
        Pod.Replace("\"oldObject\":null", "\"oldObject\":{\"n\":[-0,0.5,1e9,1E+2,2.5e-3,-12.75E1,[],{},[[{}]],true,false,null,\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"]}"),
        Pod.Replace("\"uid\":\"u-1\"", "\"uid\":null"),
        Pod.Replace("\"uid\":\"u-1\",", ""),
        Pod.Replace("\"dryRun\":false", "\"dryRun\":true"),
        Pod.Replace("\"dryRun\":false", "\"dryRun\":\"true\""),
        Pod.Replace("\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"}", "\"kind\":\"Pod\""),
        Pod.Replace("\"kind\":\"Pod\"}", "\"kind\":7}"),
        Pod.Replace("\"userInfo\":{\"username\":\"alice\",\"groups\":[\"a\",\"b\"]}", "\"userInfo\":[1]"),
        Pod.Replace("\"operation\":\"CREATE\"", "\"operation\":\"UPDATE\",\"subResource\":\"status\",\"name\":\"web-1\""),
        Pod.Replace("admission.k8s.io/v1\"", "admission.k8s.io/v1beta1\""),
        // the object's shapes the decision tells apart
        Pod.Replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"app\":\"web\",\"pullsecret-webhook.io/inject\":\"false\"}"),
        Pod.Replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"pullsecret-webhook.io/inject\":false}"),
        Pod.Replace("\"labels\":{\"app\":\"web\"}", "\"labels\":[\"pullsecret-webhook.io/inject\"]"),
        Pod.Replace("\"annotations\":{\"note\":\"x\"}", "\"annotations\":{\"kubernetes.io/config.mirror\":{\"any\":1}}"),
        Pod.Replace("\"annotations\":{\"note\":\"x\"}", "\"annotations\":\"kubernetes.io/config.mirror\""),
        Pod.Replace("\"metadata\":{\"generateName\":\"web-\",\"labels\":{\"app\":\"web\"},\"annotations\":{\"note\":\"x\"}}", "\"metadata\":42"),
        Pod.Replace("\"metadata\":{\"generateName\":\"web-\"", "\"metadata\":{\"name\":\"web-1\",\"namespace\":\"team-b\""),
        Pod.Replace("\"namespace\":\"team-a\",", ""),
        Pod.Replace("\"spec\":{", "\"spec\":{\"imagePullSecrets\":null,"),
        Pod.Replace("\"spec\":{", "\"spec\":{\"imagePullSecrets\":[{\"name\":\"other\"},{\"name\":\"pullsecret-webhook\"},\"x\",{\"name\":1},{}],"),
        Pod.Replace("\"spec\":{", "\"spec\":{\"imagePullSecrets\":[],"),
        Pod.Replace("\"spec\":{", "\"spec\":{\"imagePullSecrets\":{\"name\":\"pullsecret-webhook\"},"),
        Pod.Replace("\"initContainers\":[{\"image\":\"busybox\"}]", "\"initContainers\":{},\"ephemeralContainers\":[{\"image\":\"ghcr.io/x/y\"},3,{\"image\":null}]"),
        Pod.Replace("\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"registry.example.com/a:1\"}],\"initContainers\":[{\"image\":\"busybox\"}]}", "\"spec\":[]"),
        Pod.Replace(",\n\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"registry.example.com/a:1\"}],\"initContainers\":[{\"image\":\"busybox\"}]}", ""),
        Pod.Replace("\"object\":{\"metadata\"", "\"object\":{\"status\":{\"phase\":\"Pending\"},\"metadata\""),
        Pod.Replace("\"oldObject\":null", "\"object\":null").Replace("\"object\":{\"metadata\"", "\"obj\":{\"metadata\""),
        // escaped names where nobody reads them: the API server's managedFields in every Pod it admits
        Pod.Replace("\"generateName\":\"web-\"", "\"generateName\":\"web-\",\"managedFields\":[{\"manager\":\"kube-controller-manager\",\"operation\":\"Update\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"c\\\"}\":{\".\":{},\"f:image\":{}}}}}}]"),
        // an escaped value nobody reads, and the same key repeated where nobody reads it
        Pod.Replace("\"note\":\"x\"", "\"last-applied\":\"{\\\"a\\\":\\\"b\\\"}\",\"note\":\"x\",\"note\":\"y\""),
    ];

    [Fact]
    public void AcceptedBodies_AreAllDifferent()
    {
        var bodies = ((IEnumerable<object[]>)AcceptedBodies()).Select(row => (string)row[0]).ToList();

        Assert.Equal(bodies.Count, bodies.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(AcceptedBodies))]
    public void TryRead_ValidReviewOfAnyShape_AcceptsAndAgreesWithTheReference(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        Assert.True(AdmissionReviewScanner.TryRead(body, out _, out _), "this body should take the fast path");
        ReaderAgreement.AssertScannerReadsAsTheReference(body);
    }

    public static TheoryData<string, string> DeclinedValidBodies() => new()
    {
        { "non-ASCII text", Pod.Replace("\"note\":\"x\"", "\"note\":\"é\"") },
        { "a \\u escape", Pod.Replace("\"note\":\"x\"", "\"note\":\"\\u0041\"") },
        { "an escaped property name", Pod.Replace("\"note\":\"x\"", "\"no\\/te\":\"x\"") },
        { "an escaped name among the labels", Pod.Replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"a\\/pp\":\"web\"}") },
        { "a \\u escape in a name nobody reads", Pod.Replace("\"generateName\":\"web-\"", "\"generateName\":\"web-\",\"managedFields\":[{\"k:{\\u0022name\\u0022}\":{}}]") },
        { "an escaped name that means a field the decision reads", Pod.Replace("\"note\":\"x\"", "\"kubernetes.io\\/config.mirror\":\"\"") },
        { "an escaped value the decision reads", Pod.Replace("\"namespace\":\"team-a\"", "\"namespace\":\"team\\/a\"") },
        { "a request field given twice", Pod.Replace("\"operation\":\"CREATE\"", "\"operation\":\"DELETE\",\"operation\":\"CREATE\"") },
        { "a spec field given twice", Pod.Replace("\"spec\":{", "\"spec\":{\"imagePullSecrets\":null,\"imagePullSecrets\":[],") },
        { "the opt-out label given twice", Pod.Replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"pullsecret-webhook.io/inject\":\"true\",\"pullsecret-webhook.io/inject\":\"false\"}") },
        { "request given twice", Pod.Replace("\"kind\":\"AdmissionReview\"", "\"request\":{},\"kind\":\"AdmissionReview\"") },
        { "nesting deeper than the scanner goes", Pod.Replace("\"oldObject\":null", "\"oldObject\":" + new string('[', 61) + new string(']', 61)) },
        { "a root that is not an object", "[" + Pod + "]" },
        { "an unsupported apiVersion", Pod.Replace("admission.k8s.io/v1\"", "admission.k8s.io/v2\"") },
        { "no request", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}" },
        { "a request that is not an object", "{\"apiVersion\":\"admission.k8s.io/v1\",\"request\":[]}" },
        { "a uid that is not a string", Pod.Replace("\"uid\":\"u-1\"", "\"uid\":12") },
    };

    [Theory]
    [MemberData(nameof(DeclinedValidBodies))]
    public void TryRead_BodyOnlyTheReferenceMayJudge_Declines(string why, string json)
    {
        Assert.False(AdmissionReviewScanner.TryRead(Encoding.UTF8.GetBytes(json), out _, out _), why);
    }

    public static TheoryData<string, string> InvalidJson() => new()
    {
        { "trailing comma in an object", Pod.Replace("\"note\":\"x\"", "\"note\":\"x\",") },
        { "trailing comma in an array", Pod.Replace("[\"a\",\"b\"]", "[\"a\",\"b\",]") },
        { "leading comma", Pod.Replace("[\"a\",\"b\"]", "[,\"a\"]") },
        { "missing comma", Pod.Replace("[\"a\",\"b\"]", "[\"a\" \"b\"]") },
        { "missing colon", Pod.Replace("\"note\":\"x\"", "\"note\" \"x\"") },
        { "a comment", Pod.Replace("\"dryRun\":false", "\"dryRun\":/* no */false") },
        { "single quotes", Pod.Replace("\"note\":\"x\"", "'note':'x'") },
        { "an unquoted name", Pod.Replace("\"note\":\"x\"", "note:\"x\"") },
        { "a leading zero", Pod.Replace("\"dryRun\":false", "\"dryRun\":01") },
        { "a bare minus", Pod.Replace("\"dryRun\":false", "\"dryRun\":-") },
        { "a fraction without digits", Pod.Replace("\"dryRun\":false", "\"dryRun\":1.") },
        { "an exponent without digits", Pod.Replace("\"dryRun\":false", "\"dryRun\":1e+") },
        { "a leading dot", Pod.Replace("\"dryRun\":false", "\"dryRun\":.5") },
        { "a leading plus", Pod.Replace("\"dryRun\":false", "\"dryRun\":+1") },
        { "NaN", Pod.Replace("\"dryRun\":false", "\"dryRun\":NaN") },
        { "a truncated literal", Pod.Replace("\"dryRun\":false", "\"dryRun\":fals") },
        { "a literal run on", Pod.Replace("\"dryRun\":false", "\"dryRun\":falsey") },
        { "a capitalised literal", Pod.Replace("\"dryRun\":false", "\"dryRun\":False") },
        { "an unknown escape", Pod.Replace("\"note\":\"x\"", "\"note\":\"\\x\"") },
        { "a raw control character", Pod.Replace("\"note\":\"x\"", "\"note\":\"a\tb\"") },
        { "a raw newline in a string", Pod.Replace("\"note\":\"x\"", "\"note\":\"a\nb\"") },
        { "an unterminated string", Pod[..(Pod.IndexOf("\"x\"", StringComparison.Ordinal) + 2)] },
        { "an unclosed object", Pod[..^1] },
        { "an extra closing brace", Pod + "}" },
        { "two documents", Pod + Pod },
        { "garbage after the document", Pod + " x" },
        { "a NUL after the document", Pod + "\0" },
        { "a mismatched bracket", Pod.Replace("[\"a\",\"b\"]", "[\"a\",\"b\"}") },
        { "a vertical tab as whitespace", Pod.Replace("\"dryRun\":false", "\"dryRun\":\vfalse") },
    };

    [Theory]
    [MemberData(nameof(InvalidJson))]
    public void TryRead_InvalidJson_DeclinesAndTheReferenceRefusesIt(string why, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        Assert.False(AdmissionReviewScanner.TryRead(body, out _, out _), why);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body).Dispose());
    }

    /// <summary>Thousands of seeded corruptions of the 4 KB review (bytes deleted, inserted, replaced, spans repeated):
    /// whatever the scanner accepts, the reference parses to the same request.</summary>
    [Fact]
    public void TryRead_CorruptedReviews_NeverAcceptsWhatTheReferenceRefusesOrDisagrees()
    {
        var original = File.ReadAllBytes(Path.Combine(Fixtures.Directory, "bench", "pod-create-review-4k.json"));
        var random = new Random(20261123);
        ReadOnlySpan<byte> alphabet = "{}[]:,\"\\ 0123456789-+.eEtrufalsn/xbu\t\n"u8;
        int accepted = 0, declined = 0;
        for (var i = 0; i < 4000; i++)
        {
            var body = new List<byte>(original);
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(body.Count);
                switch (random.Next(4))
                {
                    case 0:
                        body.RemoveAt(at);
                        break;
                    case 1:
                        body.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 2:
                        body[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    default:
                        var length = Math.Min(random.Next(1, 40), body.Count - at);
                        body.InsertRange(at, body.GetRange(at, length));
                        break;
                }
            }

            var bytes = body.ToArray();
            if (AdmissionReviewScanner.TryRead(bytes, out _, out _))
            {
                accepted++;
                ReaderAgreement.AssertScannerReadsAsTheReference(bytes);
            }
            else
            {
                declined++;
            }
        }

        // Both sides must be exercised for the property to mean anything.
        Assert.InRange(accepted, 100, 3900);
        Assert.InRange(declined, 100, 3900);
    }

    [Fact]
    public void TryRead_PodFacts_AreWhatTheDecisionReads()
    {
        var json = Pod
            .Replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"pullsecret-webhook.io/inject\":\"false\"}")
            .Replace("\"spec\":{", "\"spec\":{\"imagePullSecrets\":[{\"name\":\"a\"},{\"name\":\"b\"}],");

        Assert.True(AdmissionReviewScanner.TryRead(Encoding.UTF8.GetBytes(json), out var apiVersion, out var request));

        Assert.Equal(AdmissionApiVersion.V1, apiVersion);
        Assert.Equal(("u-1", "", "Pod", "CREATE", "team-a", "alice", false), (request.Uid, request.KindGroup, request.Kind, request.Operation, request.Namespace, request.UserName, request.DryRun));
        var pod = Assert.IsType<PodFacts>(request.Pod);
        Assert.Equal(("web-", "false", false, true, PullSecretsField.List), (pod.GenerateName, pod.InjectLabel, pod.IsMirror, pod.HasSpec, pod.PullSecrets));
        Assert.Equal(["a", "b"], pod.PullSecretNames);
        Assert.Equal(["registry.example.com/a:1", "busybox"], pod.Images);
    }
}

using System.Text.Json;

namespace PullSecretWebhook.Admission.Wire;

/// <summary>Reads an AdmissionReview from a parsed document: the reference reader, used whenever the fast
/// <see cref="AdmissionReviewScanner"/> declines a body. Envelope problems (not an object, unknown
/// apiVersion, no <c>request</c>, a uid that is not a string) are transport errors answered with 400: without them
/// there is no well-formed answer to give. Everything inside the request is read leniently — a field of the wrong
/// type counts as absent — and the mutator decides, so a strange Pod can never turn into an error response.</summary>
internal static class AdmissionReviewReader
{
    public static bool TryRead(JsonElement root, out string apiVersion, out AdmissionRequest? request, out string error)
    {
        apiVersion = "";
        request = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "the body must be a JSON object (an AdmissionReview)";
            return false;
        }

        var declared = GetString(root, "apiVersion");
        if (AdmissionApiVersion.Recognise(declared) is not { } version)
        {
            error = declared is null
                ? "apiVersion is missing; expected admission.k8s.io/v1 or admission.k8s.io/v1beta1"
                : "apiVersion is not supported; expected admission.k8s.io/v1 or admission.k8s.io/v1beta1";
            return false;
        }

        if (!root.TryGetProperty("request", out var req) || req.ValueKind != JsonValueKind.Object)
        {
            error = "request is missing or not an object";
            return false;
        }

        var uid = "";
        if (req.TryGetProperty("uid", out var uidElement))
        {
            if (uidElement.ValueKind == JsonValueKind.String)
            {
                uid = uidElement.GetString()!;
            }
            else if (uidElement.ValueKind != JsonValueKind.Null)
            {
                error = "request.uid must be a string";
                return false;
            }
        }

        var kind = req.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.Object ? k : default;
        apiVersion = version;
        request = new AdmissionRequest
        {
            Uid = uid,
            KindGroup = GetString(kind, "group") ?? "",
            Kind = GetString(kind, "kind") ?? "",
            SubResource = GetString(req, "subResource") ?? "",
            Operation = GetString(req, "operation") ?? "",
            Namespace = GetString(req, "namespace"),
            Name = GetString(req, "name"),
            DryRun = req.TryGetProperty("dryRun", out var dryRun) && dryRun.ValueKind == JsonValueKind.True,
            UserName = req.TryGetProperty("userInfo", out var user) ? GetString(user, "username") : null,
            Pod = req.TryGetProperty("object", out var obj) && obj.ValueKind == JsonValueKind.Object
                ? PodFacts.From(Member(obj, "metadata"), Member(obj, "spec"))
                : null,
        };
        error = "";
        return true;
    }

    /// <summary>A property's value, or <c>default</c> (Undefined) when the element is not an object or has no such
    /// property.</summary>
    internal static JsonElement Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>The string value of a property, or null when the element is not an object, the property is absent
    /// or it is not a string.</summary>
    internal static string? GetString(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

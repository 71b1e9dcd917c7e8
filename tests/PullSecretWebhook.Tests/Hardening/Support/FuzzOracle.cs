using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hardening.Support;

/// <summary>Judges one answer against the invariants of the fuzz run: never a 5xx; a 2xx is a well-formed
/// AdmissionReview in the request's version that allows, echoes a string uid, and carries only a patch that applies
/// (by the tests' own RFC 6902 applier) to the request's object and yields a reference to the target; a 4xx has the
/// JSON error body. Returns the problem, or null when the answer is acceptable.</summary>
internal static class FuzzOracle
{
    /// <summary>The test's own reading of the request, strict about duplicate keys: where its reading is ambiguous
    /// the uid and patch are not judged (the answer must still be well-formed).</summary>
    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    public static string? Judge(FuzzCase fuzzCase, int status, string? contentType, byte[] body)
    {
        if (status >= 500)
        {
            return $"answered {status}";
        }

        if (status is >= 200 and < 300)
        {
            return fuzzCase.Method == HttpMethod.Post && fuzzCase.Path == "/mutate"
                ? JudgeReview(fuzzCase, body)
                : $"answered {status} to a request that is not POST /mutate";
        }

        if (status is >= 400 and < 500)
        {
            if (fuzzCase.ExpectAnswer)
            {
                return $"answered {status} to a well-formed review";
            }

            return fuzzCase.Method == HttpMethod.Head || (fuzzCase.ProtocolError && status == 400 && body.Length == 0)
                ? null
                : JudgeError(status, contentType, body);
        }

        return $"answered an unexpected {status}";
    }

    private static string? JudgeError(int status, string? contentType, byte[] body)
    {
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            return $"{status} with content type {contentType ?? "none"} instead of JSON";
        }

        try
        {
            var error = JsonNode.Parse(body)!.AsObject();
            return (int?)error["code"] == status && error["message"] is JsonValue message && message.GetValueKind() == JsonValueKind.String
                ? null
                : $"{status} with an error body that does not name code and message: {Encoding.UTF8.GetString(body)}";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return $"{status} with a body that is not a JSON object: {e.Message}";
        }
    }

    private static string? JudgeReview(FuzzCase fuzzCase, byte[] body)
    {
        JsonObject answer;
        try
        {
            answer = JsonNode.Parse(body)!.AsObject();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return $"2xx body is not JSON: {e.Message}";
        }

        if ((string?)answer["kind"] != "AdmissionReview" || answer["response"] is not JsonObject response)
        {
            return "2xx body is not an AdmissionReview with a response";
        }

        if (response["allowed"] is not JsonValue allowed || allowed.GetValueKind() != JsonValueKind.True)
        {
            return "the webhook only mutates, but the answer does not allow";
        }

        if (response["uid"] is not JsonValue uid || uid.GetValueKind() != JsonValueKind.String)
        {
            return "the answer's uid is not a string";
        }

        var (apiVersion, requestUid, pod) = ReadRequest(fuzzCase.Body);
        if (apiVersion is not null && (string?)answer["apiVersion"] != apiVersion)
        {
            return $"answered in {(string?)answer["apiVersion"]} a review sent in {apiVersion}";
        }

        if (requestUid is not null && (string?)uid != requestUid)
        {
            return $"the answer's uid {(string?)uid} does not echo the request's {requestUid}";
        }

        if (!response.ContainsKey("patch"))
        {
            return response.ContainsKey("patchType") ? "patchType without a patch" : null;
        }

        if ((string?)response["patchType"] != "JSONPatch")
        {
            return "a patch without patchType JSONPatch";
        }

        return pod is null ? null : JudgePatch(pod, (string?)response["patch"]);
    }

    private static string? JudgePatch(JsonNode pod, string? encoded)
    {
        try
        {
            var patch = JsonNode.Parse(Convert.FromBase64String(encoded ?? ""))!.AsArray();
            if (patch.Any(op => (string?)op!["op"] != "add"))
            {
                return "the patch does more than add";
            }

            var patched = JsonPatchApplier.Apply(pod, patch);
            var references = patched["spec"]?["imagePullSecrets"]?.AsArray();
            return references?.Any(r => r is JsonObject o && o["name"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && (string?)v == ReviewFuzzer.Target) == true
                ? null
                : "the patched Pod does not reference the target";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            return $"the patch does not apply to the request's object: {e.Message}";
        }
    }

    /// <summary>apiVersion, uid and object as the test reads them; nulls where the request is not unambiguous.</summary>
    private static (string? ApiVersion, string? Uid, JsonNode? Pod) ReadRequest(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, Strict);
            var root = document.RootElement;
            var apiVersion = root.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (!root.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object)
            {
                return (apiVersion, null, null);
            }

            var uid = request.TryGetProperty("uid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            var pod = request.TryGetProperty("object", out var o) ? JsonNode.Parse(o.GetRawText()) : null;
            return (apiVersion, uid, pod);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return (null, null, null);
        }
    }
}

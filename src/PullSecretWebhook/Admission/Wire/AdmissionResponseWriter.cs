using System.Buffers;
using System.Text.Json;

namespace PullSecretWebhook.Admission.Wire;

/// <summary>Writes the AdmissionReview answer straight into the response's buffer. The patch is rendered as JSON
/// into a pooled buffer and base64-encoded in place, so no intermediate strings are made.</summary>
internal static class AdmissionResponseWriter
{
    public static void Write(IBufferWriter<byte> output, string apiVersion, AdmissionResponse response)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("apiVersion"u8, apiVersion);
        writer.WriteString("kind"u8, "AdmissionReview"u8);
        writer.WriteStartObject("response"u8);
        writer.WriteString("uid"u8, response.Uid);
        writer.WriteBoolean("allowed"u8, true);
        if (response.Patch.Count > 0)
        {
            writer.WriteString("patchType"u8, "JSONPatch"u8);
            var patch = new ArrayBufferWriter<byte>(256);
            WritePatch(patch, response.Patch);
            writer.WriteBase64String("patch"u8, patch.WrittenSpan);
        }

        if (response.Warnings.Count > 0)
        {
            writer.WriteStartArray("warnings"u8);
            foreach (var warning in response.Warnings)
            {
                writer.WriteStringValue(warning);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes RFC 6902 operations as a JSON array.</summary>
    public static void WritePatch(IBufferWriter<byte> output, IReadOnlyList<PatchOperation> operations)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartArray();
        foreach (var operation in operations)
        {
            writer.WriteStartObject();
            writer.WriteString("op"u8, operation.Op);
            writer.WriteString("path"u8, operation.Path);
            writer.WritePropertyName("value"u8);
            operation.Value.WriteTo(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace PullSecretWebhook.Admission;

/// <summary>Answers as two fixed byte strings around the uid. An answer without warnings is fully determined by its
/// apiVersion and its patch — the one or two shared operations of <see cref="InjectionOperations"/>, or none — except for
/// the uid, so each is rendered once with <see cref="AdmissionResponseWriter"/> and split where the uid goes. The bytes
/// are the writer's own, so an answer from a template is byte-for-byte the one the writer would give.</summary>
internal static class AnswerTemplates
{
    private const string Placeholder = "UID0PLACEHOLDER0UID";

    private static readonly ConcurrentDictionary<(string ApiVersion, PatchOperation? Operation), (byte[] Head, byte[] Tail)> Cache = new();

    /// <summary>The length of the answer and a way to copy it; false when the answer needs the writer: warnings,
    /// several operations, or a uid with a character the writer would escape (the API server's uids are UUIDs).</summary>
    public static bool TryGet(string apiVersion, AdmissionResponse response, out Template template)
    {
        template = default;
        if (response.Warnings.Count > 0 || response.Patch.Count > 1 || !IsPlain(response.Uid) || Cache.Count > 64)
        {
            return false;
        }

        var operation = response.Patch.Count == 1 ? response.Patch[0] : null;
        var (head, tail) = Cache.GetOrAdd((apiVersion, operation), static key => Render(key.ApiVersion, key.Operation));
        template = new Template(head, response.Uid, tail);
        return true;
    }

    private static (byte[] Head, byte[] Tail) Render(string apiVersion, PatchOperation? operation)
    {
        var response = operation is null
            ? AdmissionResponse.Allowed(Placeholder, AdmissionOutcome.NotAPod)
            : AdmissionResponse.Patched(Placeholder, operation);
        var output = new ArrayBufferWriter<byte>(512);
        AdmissionResponseWriter.Write(output, apiVersion, response);
        var rendered = output.WrittenSpan;
        var at = rendered.IndexOf(Encoding.ASCII.GetBytes(Placeholder));
        return (rendered[..at].ToArray(), rendered[(at + Placeholder.Length)..].ToArray());
    }

    /// <summary>Letters, digits and <c>-</c>: what JSON and the writer's encoder leave as they are.</summary>
    private static bool IsPlain(string uid)
    {
        foreach (var c in uid)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One answer: <see cref="Length"/> bytes, copied out by <see cref="CopyTo"/>.</summary>
    internal readonly struct Template(byte[] head, string uid, byte[] tail)
    {
        public int Length => head.Length + uid.Length + tail.Length;

        public void CopyTo(Span<byte> destination)
        {
            head.CopyTo(destination);
            Encoding.ASCII.GetBytes(uid, destination[head.Length..]);
            tail.CopyTo(destination[(head.Length + uid.Length)..]);
        }
    }
}

using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace PullSecretWebhook.Admission.Wire;

/// <summary>Answers as two fixed byte strings around the uid. An answer without warnings is fully determined by its
/// apiVersion and its patch — the one or two shared operations of <see cref="InjectionOperations"/>, or none — except for
/// the uid, so each is rendered once with <see cref="AdmissionResponseWriter"/> and split where the uid goes. The bytes
/// are the writer's own, so an answer from a template is byte-for-byte the one the writer would give.</summary>
internal static class AnswerTemplates
{
    private const string Placeholder = "UID0PLACEHOLDER0UID";

    /// <summary>Per operation instance (they are built once per mutator and shared), so templates live as long as
    /// the operations they render; answers without a patch share one set.</summary>
    private static readonly ConditionalWeakTable<PatchOperation, Renderings> ByOperation = new();
    private static readonly Renderings WithoutPatch = new(null);

    /// <summary>The length of the answer and a way to copy it; false when the answer needs the writer: warnings,
    /// several operations, or a uid with a character the writer would escape (the API server's uids are UUIDs).</summary>
    public static bool TryGet(string apiVersion, AdmissionResponse response, out Template template)
    {
        template = default;
        if (response.Warnings.Count > 0 || response.Patch.Count > 1 || !IsPlain(response.Uid))
        {
            return false;
        }

        var renderings = response.Patch.Count == 1 ? ByOperation.GetValue(response.Patch[0], static o => new Renderings(o)) : WithoutPatch;
        var rendered = renderings.For(apiVersion);
        template = new Template(rendered.Head, response.Uid, rendered.Tail);
        return true;
    }

    private static Rendered Render(string apiVersion, PatchOperation? operation)
    {
        var response = operation is null
            ? AdmissionResponse.Allowed(Placeholder, AdmissionOutcome.NotAPod)
            : AdmissionResponse.Patched(Placeholder, operation);
        var output = new ArrayBufferWriter<byte>(512);
        AdmissionResponseWriter.Write(output, apiVersion, response);
        var rendered = output.WrittenSpan;
        var at = rendered.IndexOf(Encoding.ASCII.GetBytes(Placeholder));
        return new Rendered(rendered[..at].ToArray(), rendered[(at + Placeholder.Length)..].ToArray());
    }

    private sealed record Rendered(byte[] Head, byte[] Tail);

    /// <summary>One answer's bytes per AdmissionReview version, rendered on first use (a race renders the same bytes
    /// twice, harmlessly).</summary>
    private sealed class Renderings(PatchOperation? operation)
    {
        private Rendered? _v1;
        private Rendered? _v1Beta1;

        public Rendered For(string apiVersion) => apiVersion == AdmissionApiVersion.V1
            ? _v1 ??= Render(AdmissionApiVersion.V1, operation)
            : _v1Beta1 ??= Render(AdmissionApiVersion.V1Beta1, operation);
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

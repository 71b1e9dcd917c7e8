using System.Buffers;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Admission.Wire;

namespace PullSecretWebhook.Tests.Admission.Wire;

/// <summary>An answer copied from a template is byte-for-byte the answer <see cref="AdmissionResponseWriter"/> writes;
/// answers a template cannot hold exactly are left to the writer.</summary>
public sealed class AnswerTemplatesTests
{
    private static readonly InjectionOperations Operations = new("/spec", "pullsecret-webhook");

    public static TheoryData<string, string, int> Answers()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var apiVersion in new[] { AdmissionApiVersion.V1, AdmissionApiVersion.V1Beta1 })
        {
            foreach (var uid in new[] { "705ab4f5-6393-11e8-b7cc-42010a800002", "", "abc" })
            {
                for (var kind = 0; kind < 3; kind++)
                {
                    data.Add(apiVersion, uid, kind);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public void TryGet_PlainAnswer_IsExactlyWhatTheWriterWrites(string apiVersion, string uid, int kind)
    {
        var response = kind switch
        {
            0 => AdmissionResponse.Allowed(uid, AdmissionOutcome.PodOptedOut),
            1 => AdmissionResponse.Patched(uid, Operations.AddList),
            _ => AdmissionResponse.Patched(uid, Operations.Append),
        };

        Assert.True(AnswerTemplates.TryGet(apiVersion, response, out var template));

        var copied = new byte[template.Length];
        template.CopyTo(copied);
        Assert.Equal(Written(apiVersion, response), copied);
    }

    [Theory]
    [InlineData("with \"quote\"")]
    [InlineData("a<b")]
    [InlineData("ünïcode")]
    [InlineData("a+b")]
    public void TryGet_UidTheWriterWouldEscape_LeavesItToTheWriter(string uid)
    {
        Assert.False(AnswerTemplates.TryGet(AdmissionApiVersion.V1, AdmissionResponse.Patched(uid, Operations.Append), out _));
    }

    [Fact]
    public void TryGet_AnswerWithWarnings_LeavesItToTheWriter()
    {
        var response = AdmissionResponse.Patched("u-1", Operations.AddList).WithWarnings("not there yet");

        Assert.False(AnswerTemplates.TryGet(AdmissionApiVersion.V1, response, out _));
    }

    private static byte[] Written(string apiVersion, AdmissionResponse response)
    {
        var output = new ArrayBufferWriter<byte>();
        AdmissionResponseWriter.Write(output, apiVersion, response);
        return output.WrittenSpan.ToArray();
    }
}

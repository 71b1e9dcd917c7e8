using System.Buffers;
using System.Text.Json;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Admission.Wire;

namespace PullSecretWebhook.Tests.Admission.Wire;

/// <summary>The one comparison of the two readers of a review, shared with the end-to-end tier (which hands it what
/// kube-apiserver sends): the scanner takes the fast path, the body is one the reference accepts, and the two read the
/// same request, field by field (lists by content).</summary>
internal static class ReaderAgreement
{
    public static AdmissionRequest AssertScannerReadsAsTheReference(byte[] body)
    {
        Assert.True(AdmissionReviewScanner.TryRead(body, out var fastVersion, out var fast), "the review must take the scanner's fast path");
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        Assert.True(JsonStrings.AreWellFormed(new ReadOnlySequence<byte>(body), 64));
        Assert.True(AdmissionReviewReader.TryRead(document.RootElement, out var referenceVersion, out var reference, out var problem), problem);
        Assert.Equal(referenceVersion, fastVersion);
        Assert.Equal(JsonSerializer.Serialize(reference), JsonSerializer.Serialize(fast));
        return fast;
    }
}

using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Admission.Wire;
using PullSecretWebhook.Hosting;
using PullSecretWebhook.Observability;

namespace PullSecretWebhook.Admission;

/// <summary>The transport of <c>POST /mutate</c>: checks the content type, reads and limits the body, reads the review
/// (<see cref="AdmissionReviewScanner"/>, or <see cref="AdmissionReviewReader"/> on a <see cref="JsonDocument"/> for any
/// body the scanner declines), and always answers a well-formed AdmissionReview once the envelope is valid. The decision itself is
/// <see cref="PodMutator"/>'s. Transport problems get 4xx with a JSON body; nothing here answers 500.</summary>
internal sealed class AdmissionEndpoint(
    PodMutator mutator,
    IOptions<AdmissionOptions> options,
    WebhookMetrics metrics,
    ILogger<AdmissionEndpoint> logger)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };
    private readonly long _maxBodyBytes = options.Value.MaxRequestBodyBytes;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsJson(request.ContentType))
        {
            await RejectAsync(context, StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType",
                "the body must be an AdmissionReview sent as application/json");
            return;
        }

        if (request.ContentLength > _maxBodyBytes)
        {
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge",
                $"the body is larger than the limit of {_maxBodyBytes} bytes (Admission:MaxRequestBodyBytes)");
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // Our own limit applies below; lift the server-wide one so that it cannot answer first, without a JSON body.
            sizeFeature.MaxRequestBodySize = null;
        }

        var reader = request.BodyReader;
        var body = await ReadBodyAsync(reader, _maxBodyBytes, context.RequestAborted);
        try
        {
            if (body.IsEmpty)
            {
                await RejectAsync(context, StatusCodes.Status400BadRequest, "BadRequest", "the body is empty; expected an AdmissionReview");
            }
            else if (body.Length > _maxBodyBytes)
            {
                await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge",
                    $"the body is larger than the limit of {_maxBodyBytes} bytes (Admission:MaxRequestBodyBytes)");
            }
            else
            {
                await AnswerAsync(context, body);
            }
        }
        finally
        {
            reader.AdvanceTo(body.End);
        }
    }

    private async Task AnswerAsync(HttpContext context, ReadOnlySequence<byte> body)
    {
        var started = Stopwatch.GetTimestamp();
        if (!TryScan(body, out var apiVersion, out var admission))
        {
            // The reference reader: anything the scanner declines, including every malformed body, whose error it names.
            var problem = Read(body, out apiVersion, out admission);
            if (problem is not null)
            {
                await RejectAsync(context, StatusCodes.Status400BadRequest, "BadRequest", problem);
                return;
            }
        }

        var response = Decide(admission!);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        // Every answer carries a Content-Length: without one, HTTP/1.1 (how the API server calls webhooks) gets a
        // chunked body whose terminating chunk is a second write on the TLS stream.
        if (AnswerTemplates.TryGet(apiVersion, response, out var template))
        {
            // The common answer: copied straight into the response's own buffer.
            context.Response.ContentLength = template.Length;
            var writer = context.Response.BodyWriter;
            template.CopyTo(writer.GetSpan(template.Length));
            writer.Advance(template.Length);
            metrics.AdmissionAnswered(response.Outcome, Stopwatch.GetElapsedTime(started));
            await writer.FlushAsync(context.RequestAborted);
            return;
        }

        var output = new ArrayBufferWriter<byte>(1024);
        AdmissionResponseWriter.Write(output, apiVersion, response);
        metrics.AdmissionAnswered(response.Outcome, Stopwatch.GetElapsedTime(started));
        context.Response.ContentLength = output.WrittenCount;
        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
    }

    /// <summary>The fast path (<see cref="AdmissionReviewScanner"/>); a body split across buffer segments is copied
    /// into one first, as the document reader would.</summary>
    private static bool TryScan(ReadOnlySequence<byte> body, out string apiVersion, out AdmissionRequest? admission)
    {
        if (body.IsSingleSegment)
        {
            return AdmissionReviewScanner.TryRead(body.FirstSpan, out apiVersion, out admission);
        }

        var length = (int)body.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(buffer);
            return AdmissionReviewScanner.TryRead(buffer.AsSpan(0, length), out apiVersion, out admission);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The reference reader; returns the problem (for a 400) when the body is not an AdmissionReview.</summary>
    private static string? Read(ReadOnlySequence<byte> body, out string apiVersion, out AdmissionRequest? admission)
    {
        apiVersion = "";
        admission = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            return $"the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
        }

        using (document)
        {
            if (!JsonStrings.AreWellFormed(body, DocumentOptions.MaxDepth))
            {
                return "the body is not valid JSON: a string holds bytes that are not UTF-8 or an unpaired surrogate escape";
            }

            return AdmissionReviewReader.TryRead(document.RootElement, out apiVersion, out admission, out var problem) ? null : problem;
        }
    }

    /// <summary>Runs the mutator, failing open: a webhook bug must never block a Pod, so an exception becomes an
    /// unpatched "allowed" answer and an error log.</summary>
    private AdmissionResponse Decide(AdmissionRequest admission)
    {
        try
        {
            var response = mutator.Mutate(admission);
            Log(admission, response, failure: null);
            return response;
        }
#pragma warning disable CA1031 // Fail open is the point: whatever our logic throws, the Pod must not be blocked.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var response = AdmissionResponse.Allowed(admission.Uid, AdmissionOutcome.Failed);
            Log(admission, response, e);
            return response;
        }
    }

    /// <summary>Logs the answer inside a scope naming the request. The scope is only opened when a line is written: at
    /// the default level (Information) a normal answer writes none, and the scope would cost every request.</summary>
    private void Log(AdmissionRequest admission, AdmissionResponse response, Exception? failure)
    {
        var warns = response.Outcome == AdmissionOutcome.MalformedObject || response.Warnings.Count > 0;
        if (!logger.IsEnabled(failure is not null ? LogLevel.Error : warns ? LogLevel.Warning : LogLevel.Debug))
        {
            return;
        }

        using var scope = logger.BeginScope(new AdmissionLogScope(admission));
        if (failure is not null)
        {
            AdmissionLog.LogicFailed(logger, failure);
            return;
        }

        if (response.Outcome == AdmissionOutcome.MalformedObject)
        {
            AdmissionLog.Malformed(logger, response.Outcome);
        }
        else if (response.Warnings.Count > 0)
        {
            AdmissionLog.TargetMissing(logger, mutator.SecretName, admission.Namespace);
        }

        AdmissionLog.Answered(logger, response.Outcome, response.Patch.Count, admission.DryRun);
    }

    /// <summary>Reads until the body is complete or exceeds <paramref name="limit"/>; the caller advances the reader
    /// past the returned buffer when done with it, so a single-segment body is parsed in place without a copy.</summary>
    private static async Task<ReadOnlySequence<byte>> ReadBodyAsync(PipeReader reader, long limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.Buffer.Length > limit)
            {
                return result.Buffer;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private async Task RejectAsync(HttpContext context, int statusCode, string reason, string message)
    {
        AdmissionLog.TransportError(logger, statusCode, message);
        metrics.AdmissionRejected(statusCode);
        await ErrorResponse.WriteAsync(context, statusCode, reason, message);
    }

    /// <summary>The API server sends <c>application/json</c>; any JSON media type (<c>+json</c> suffix) is accepted,
    /// with or without parameters such as charset.</summary>
    internal static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }

        mediaType = mediaType.Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}

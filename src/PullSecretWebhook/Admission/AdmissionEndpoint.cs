using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;
using PullSecretWebhook.Observability;

namespace PullSecretWebhook.Admission;

/// <summary>The transport of <c>POST /mutate</c>: checks the content type, reads and limits the body, parses the
/// envelope, and always answers a well-formed AdmissionReview once the envelope is valid. The decision itself is
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
        ArrayBufferWriter<byte> output;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest, "BadRequest",
                $"the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
            return;
        }

        using (document)
        {
            if (!JsonStrings.AreWellFormed(body, DocumentOptions.MaxDepth))
            {
                await RejectAsync(context, StatusCodes.Status400BadRequest, "BadRequest",
                    "the body is not valid JSON: a string holds bytes that are not UTF-8 or an unpaired surrogate escape");
                return;
            }

            if (!AdmissionReviewReader.TryRead(document.RootElement, out var apiVersion, out var admission, out var problem))
            {
                await RejectAsync(context, StatusCodes.Status400BadRequest, "BadRequest", problem);
                return;
            }

            using var scope = logger.BeginScope(new AdmissionLogScope(admission!));
            var response = Decide(admission!);
            // Rendered first so that the answer carries a Content-Length: without one, HTTP/1.1 (how the API server
            // calls webhooks) gets a chunked body whose terminating chunk is a second write on the TLS stream.
            output = new ArrayBufferWriter<byte>(1024);
            AdmissionResponseWriter.Write(output, apiVersion, response);
            metrics.AdmissionAnswered(response.Outcome, Stopwatch.GetElapsedTime(started));
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = output.WrittenCount;
        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
    }

    /// <summary>Runs the mutator, failing open: a webhook bug must never block a Pod, so an exception becomes an
    /// unpatched "allowed" answer and an error log.</summary>
    private AdmissionResponse Decide(AdmissionRequest admission)
    {
        AdmissionResponse response;
        try
        {
            response = mutator.Mutate(admission);
        }
#pragma warning disable CA1031 // Fail open is the point: whatever our logic throws, the Pod must not be blocked.
        catch (Exception e)
#pragma warning restore CA1031
        {
            AdmissionLog.LogicFailed(logger, e);
            return AdmissionResponse.Allowed(admission.Uid, AdmissionOutcome.Failed);
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
        return response;
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

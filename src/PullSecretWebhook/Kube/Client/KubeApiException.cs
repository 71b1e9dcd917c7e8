using System.Net;
using PullSecretWebhook.Kube.Models;

namespace PullSecretWebhook.Kube.Client;

/// <summary>
/// The API server answered with an error. Callers decide on <see cref="StatusCode"/> and
/// <see cref="Reason"/> (through the Is* helpers), never on message text.
/// </summary>
internal class KubeApiException : Exception
{
    public KubeApiException()
    {
    }

    public KubeApiException(string message)
        : base(message)
    {
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeApiException(HttpStatusCode statusCode, Status? status, string request)
        : base(Describe(statusCode, status, request))
    {
        StatusCode = statusCode;
        Status = status;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The parsed meta/v1 Status body, when the server sent one.</summary>
    public Status? Status { get; }

    public string? Reason => Status?.Reason;

    public bool IsNotFound => Is(HttpStatusCode.NotFound, "NotFound");

    /// <summary>Optimistic concurrency lost (a stale resourceVersion or failed precondition).</summary>
    public bool IsConflict => Is(HttpStatusCode.Conflict, "Conflict");

    /// <summary>A create found the name taken. Also a 409, so only the reason can tell it from a conflict.</summary>
    public bool IsAlreadyExists => Reason == "AlreadyExists";

    /// <summary>The resourceVersion (or continue token) is too old: relist.</summary>
    public bool IsGone => Is(HttpStatusCode.Gone, "Expired") || Reason == "Gone";

    public bool IsInvalid => Is(HttpStatusCode.UnprocessableEntity, "Invalid");

    public bool IsTooManyRequests => Is(HttpStatusCode.TooManyRequests, "TooManyRequests");

    public bool IsUnauthorized => Is(HttpStatusCode.Unauthorized, "Unauthorized");

    public bool IsForbidden => Is(HttpStatusCode.Forbidden, "Forbidden");

    /// <summary>
    /// Like apimachinery's errors.ReasonForError: a known reason decides; with none (or Unknown)
    /// the HTTP status code does.
    /// </summary>
    private bool Is(HttpStatusCode code, string reason) =>
        string.IsNullOrEmpty(Reason) || Reason == "Unknown" ? StatusCode == code : Reason == reason;

    private static string Describe(HttpStatusCode statusCode, Status? status, string request)
    {
        var reason = string.IsNullOrEmpty(status?.Reason) ? statusCode.ToString() : status.Reason;
        var message = string.IsNullOrEmpty(status?.Message) ? string.Empty : $": {status.Message}";
        return $"{request}: {(int)statusCode} {reason}{message}";
    }
}

using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Kube;

/// <summary>
/// The API server answered with an error. Callers decide on <see cref="StatusCode"/> and <see cref="Reason"/> (through
/// the Is* helpers), never on message text. The message names the request (method and path) and the server's Status,
/// never a request body: raised by <see cref="Transport.ApiErrorHandler"/> for every call made through KubernetesClient.
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

    public KubeApiException(HttpStatusCode statusCode, V1Status? status, string request)
        : base(Describe(statusCode, status, request))
    {
        StatusCode = statusCode;
        Status = status;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The parsed meta/v1 Status body, when the server sent one.</summary>
    public V1Status? Status { get; }

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
    /// The one classification of a failed API call, for every <c>catch</c> around one: the server answered with an error,
    /// could not be reached, took longer than <c>Kube:Timeout</c>, or sent what is not the expected JSON. Anything else
    /// (a bug, cancellation) is not an API failure and is not caught as one.
    /// </summary>
    public static bool IsApiFailure(Exception exception) =>
        exception is KubeApiException or HttpRequestException or TimeoutException or JsonException or IOException;

    /// <summary>What a read answers, or null when the object does not exist (404 NotFound): KubernetesClient throws for
    /// a missing object, and every "read it if it is there" in the product goes through here.</summary>
    public static async Task<T?> OrNullIfNotFound<T>(Task<T> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>The error answer as an exception, with the Status body parsed when the server sent one.</summary>
    public static async Task<KubeApiException> FromResponseAsync(string request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        V1Status? status;
        try
        {
            status = KubernetesJson.Deserialize<V1Status>(text);
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's HTML page, say): keep a short excerpt as the message.
            status = new V1Status { Message = text.Length > 200 ? text[..200] : text };
        }

        return new KubeApiException(response.StatusCode, status, request);
    }

    /// <summary>
    /// Like apimachinery's errors.ReasonForError: a known reason decides; with none (or Unknown)
    /// the HTTP status code does.
    /// </summary>
    private bool Is(HttpStatusCode code, string reason) =>
        string.IsNullOrEmpty(Reason) || Reason == "Unknown" ? StatusCode == code : Reason == reason;

    private static string Describe(HttpStatusCode statusCode, V1Status? status, string request)
    {
        var reason = string.IsNullOrEmpty(status?.Reason) ? statusCode.ToString() : status.Reason;
        var message = string.IsNullOrEmpty(status?.Message) ? string.Empty : $": {status.Message}";
        return $"{request}: {(int)statusCode} {reason}{message}";
    }
}

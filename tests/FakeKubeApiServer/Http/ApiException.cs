using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;

namespace FakeKubeApiServer;

/// <summary>
/// An error the API server answers with a <c>Status</c> object, shaped like the real one
/// (k8s.io/apimachinery/pkg/api/errors). Thrown below the HTTP layer, and by <see cref="ObjectStore"/>
/// to in-process callers, who can read the same code and reason an HTTP client would get.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details ?? [];
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject Details { get; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A continue token for the Status's list metadata (a 410 for an expired continue token carries one).</summary>
    public string? ContinueToken { get; init; }

    /// <summary>Whether an empty <see cref="Details"/> is still sent (<c>"details":{}</c>), as some real answers do.</summary>
    public bool KeepEmptyDetails { get; init; }

    /// <summary>The Status body the HTTP layer sends.</summary>
    public JsonObject ToStatus()
    {
        var status = Status.Failure(Code, Reason, Message, (JsonObject)Details.DeepClone(), KeepEmptyDetails);
        if (ContinueToken is not null)
        {
            status["metadata"] = new JsonObject { ["continue"] = ContinueToken };
        }

        return status;
    }
}

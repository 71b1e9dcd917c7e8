using System.Globalization;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Http;

/// <summary>
/// Builders for the <c>Status</c> bodies and errors of the real API server, with the same
/// reasons and message wording (k8s.io/apimachinery/pkg/api/errors/errors.go), because clients
/// decide on <c>reason</c>/<c>code</c> and users read the message.
/// </summary>
internal static class Status
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null, bool keepEmptyDetails = false)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["details"] = details ?? [],
            ["code"] = code,
        };
        if ((details is null || details.Count == 0) && !keepEmptyDetails)
        {
            status.Remove("details");
        }

        // A plain Go error becomes a Status with no reason (StatusReasonUnknown is "", omitted).
        if (reason.Length == 0)
        {
            status.Remove("reason");
        }

        return status;
    }

    public static JsonObject Success(ResourceType type, string name, string? uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = DetailsOf(type, name, uid),
    };

    public static JsonObject DetailsOf(ResourceType type, string? name, string? uid = null)
    {
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            details["name"] = name;
        }

        // StatusDetails.group is omitempty: absent for the core group.
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Resource;
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return details;
    }

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found", DetailsOf(type, name));

    public static ApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    /// <summary>The NamespaceLifecycle admission plugin's answer to a create in a namespace being deleted.</summary>
    public static ApiException NamespaceTerminating(ResourceType type, string? name, string ns)
    {
        var details = DetailsOf(type, name);
        details["causes"] = new JsonArray(new JsonObject
        {
            ["reason"] = "NamespaceTerminating",
            ["message"] = $"namespace {ns} is being terminated",
            ["field"] = "metadata.namespace",
        });
        return new ApiException(403, "Forbidden", $"{type.QualifiedResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", details);
    }

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists", DetailsOf(type, name));

    public static ApiException Conflict(ResourceType type, string name, string detail) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": {detail}", DetailsOf(type, name));

    /// <summary>
    /// A delete precondition that does not hold. rest.BeforeDelete checks them first and names the
    /// kind, not the resource (<c>Operation cannot be fulfilled on Secret "x"</c>, details.kind
    /// <c>Secret</c>), so that is what a client sees; the storage layer's own check only matters
    /// in a race.
    /// </summary>
    public static ApiException DeletePreconditionFailed(ResourceType type, string name, string detail)
    {
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Kind;
        return new ApiException(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedKind} \"{name}\": {detail}", details);
    }

    /// <summary>
    /// A PUT whose metadata.uid is not the stored object's: the storage layer's precondition,
    /// reported through its StorageError text.
    /// </summary>
    public static ApiException UidPreconditionFailed(ResourceType type, string? ns, string name, string sent, string stored) =>
        Conflict(type, name, $"StorageError: invalid object, Code: 4, Key: {type.StorageKey(ns, name)}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: {sent}, UID in object meta: {stored}");

    /// <summary>
    /// A Go error that is not an API status (errors.ToAPIStatus of a plain error): 500 with the
    /// error's text and no reason at all.
    /// </summary>
    public static ApiException Unreasoned(string message) => new(500, "", message);

    public static ApiException StaleResourceVersion(ResourceType type, string name) =>
        Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException ResourceNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource");

    public static ApiException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource") { KeepEmptyDetails = true };

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got {contentType})");

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    /// <summary>The generic 422 a failing JSON patch gets (errors.NewGenericServerResponse drops the detail, and
    /// leaves an empty details object).</summary>
    public static ApiException PatchRejected() =>
        new(422, "Invalid", "the server rejected our request due to an error in our request") { KeepEmptyDetails = true };

    /// <summary>Status for an injected fault, with the message the real server uses for that code.</summary>
    public static ApiException ForCode(int code, TimeSpan? retryAfter)
    {
        var (reason, message) = code switch
        {
            400 => ("BadRequest", "the server rejected our request for an unknown reason"),
            401 => ("Unauthorized", "Unauthorized"),
            403 => ("Forbidden", "forbidden: the server does not allow access to the requested resource"),
            404 => ("NotFound", "the server could not find the requested resource"),
            409 => ("Conflict", "the server reported a conflict"),
            410 => ("Expired", "the resource version is too old"),
            422 => ("Invalid", "the server rejected our request due to an error in our request"),
            429 => ("TooManyRequests", "Too many requests, please try again later."),
            500 => ("InternalError", "Internal error occurred: injected fault"),
            503 => ("ServiceUnavailable", "the server is currently unable to handle the request"),
            504 => ("Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"),
            _ => ("Unknown", "an error on the server (\"injected fault\") has prevented the request from succeeding"),
        };
        var details = new JsonObject();
        if (retryAfter is { } after)
        {
            details["retryAfterSeconds"] = (int)Math.Ceiling(after.TotalSeconds);
        }

        return new ApiException(code, reason, message, details) { RetryAfter = retryAfter };
    }

    public static string Quote(string value) => "\"" + value + "\"";

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}

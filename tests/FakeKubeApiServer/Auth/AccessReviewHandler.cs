using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;

namespace FakeKubeApiServer.Auth;

/// <summary>
/// SelfSubjectAccessReview (authorization.k8s.io/v1), the request behind <c>kubectl auth can-i</c>:
/// the authorizer answers for the requesting user, nothing is stored.
/// </summary>
internal static class AccessReviewHandler
{
    public static async Task HandleAsync(HttpContext context, UserInfo user, RbacAuthorizer authorizer)
    {
        if (await JsonIo.ReadObjectAsync(context.Request, context.RequestAborted) is not JsonObject review)
        {
            throw Status.BadRequest("a SelfSubjectAccessReview body is required");
        }

        var spec = review["spec"] as JsonObject ?? [];
        bool allowed;
        if (spec["resourceAttributes"] is JsonObject attributes)
        {
            string? Read(string field) => attributes[field]?.GetValue<string>() is { Length: > 0 } value ? value : null;
            var request = new RequestInfo(
                true,
                Read("verb") ?? "",
                Read("group") ?? "",
                Read("version") ?? "v1",
                Read("resource") ?? "",
                Read("subresource") ?? "",
                Read("namespace"),
                Read("name"));
            allowed = authorizer.IsAllowed(user, request, "");
        }
        else if (spec["nonResourceAttributes"] is JsonObject nonResource)
        {
            var request = new RequestInfo(false, nonResource["verb"]?.GetValue<string>() ?? "get", "", "", "", "", null, null);
            allowed = authorizer.IsAllowed(user, request, nonResource["path"]?.GetValue<string>() ?? "/");
        }
        else
        {
            throw Status.BadRequest("SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }

        review["apiVersion"] = "authorization.k8s.io/v1";
        review["kind"] = "SelfSubjectAccessReview";
        review["metadata"] ??= new JsonObject();
        review["status"] = new JsonObject { ["allowed"] = allowed };
        await JsonIo.WriteAsync(context.Response, 201, review);
    }
}

using FakeKubeApiServer.Http;

namespace FakeKubeApiServer.Auth;

/// <summary>
/// User impersonation (<c>Impersonate-User</c>/<c>Impersonate-Group</c> headers, what
/// <c>kubectl --as</c> sends; https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation).
/// The caller needs the <c>impersonate</c> verb on users (and groups), which system:masters has.
/// </summary>
internal static class Impersonation
{
    public static UserInfo Apply(HttpContext context, UserInfo caller, RbacAuthorizer authorizer)
    {
        var user = context.Request.Headers["Impersonate-User"].ToString();
        if (user.Length == 0)
        {
            return caller;
        }

        var groups = context.Request.Headers["Impersonate-Group"].Select(g => g ?? "").Where(g => g.Length > 0).ToList();
        Check(caller, authorizer, "users", user);
        foreach (var group in groups)
        {
            Check(caller, authorizer, "groups", group);
        }

        var parts = user.Split(':');
        if (parts is ["system", "serviceaccount", var ns, _])
        {
            groups.AddRange(["system:serviceaccounts", $"system:serviceaccounts:{ns}"]);
        }

        groups.Add("system:authenticated");
        return new UserInfo(user, groups.Distinct(StringComparer.Ordinal).ToList());
    }

    private static void Check(UserInfo caller, RbacAuthorizer authorizer, string resource, string name)
    {
        var request = new RequestInfo(true, "impersonate", "", "v1", resource, "", null, name);
        if (!authorizer.IsAllowed(caller, request, ""))
        {
            throw new ApiException(403, "Forbidden", $"{resource} \"{name}\" is forbidden: User \"{caller.Name}\" cannot impersonate resource \"{resource}\" in API group \"\" at the cluster scope");
        }
    }
}

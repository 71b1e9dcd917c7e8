using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Auth;

/// <summary>
/// RBAC (https://kubernetes.io/docs/reference/access-authn-authz/rbac/), evaluated against the
/// Roles, ClusterRoles and bindings in the store: those seeded from the RBAC files and any created
/// through the API. system:masters bypasses it, as in a real cluster. Discovery is open to every
/// authenticated user, as the default system:discovery binding makes it.
/// </summary>
internal sealed class RbacAuthorizer(ObjectStore store, bool enforce)
{
    private static readonly string[] DiscoveryPrefixes = ["/api", "/apis", "/version", "/openapi", "/healthz", "/livez", "/readyz"];

    public void Authorize(UserInfo user, RequestInfo request, string path)
    {
        if (IsAllowed(user, request, path))
        {
            return;
        }

        throw request.IsResourceRequest
            ? Forbidden(user, request)
            : new ApiException(403, "Forbidden", $"forbidden: User \"{user.Name}\" cannot {request.Verb} path \"{path}\"");
    }

    public bool IsAllowed(UserInfo user, RequestInfo request, string path)
    {
        if (!enforce || user.IsMaster)
        {
            return true;
        }

        // Every authenticated user may review its own access (system:basic-user).
        if (request.Group == "authorization.k8s.io" && request.Resource == "selfsubjectaccessreviews")
        {
            return true;
        }

        return request.IsResourceRequest
            ? Allows(user, request)
            : DiscoveryPrefixes.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal));
    }

    private bool Allows(UserInfo user, RequestInfo request)
    {
        foreach (var binding in store.ListObjects(ResourceCatalog.ClusterRoleBindings, null, Selectors.LabelSelector.Everything, Selectors.FieldSelector.Everything, null, null).Items)
        {
            if (Binds(binding, user, null) && RulesOf(binding, null).Any(r => RuleAllows(r, request)))
            {
                return true;
            }
        }

        if (string.IsNullOrEmpty(request.Namespace))
        {
            return false;
        }

        foreach (var binding in store.ListObjects(ResourceCatalog.RoleBindings, request.Namespace, Selectors.LabelSelector.Everything, Selectors.FieldSelector.Everything, null, null).Items)
        {
            if (Binds(binding, user, request.Namespace) && RulesOf(binding, request.Namespace).Any(r => RuleAllows(r, request)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Binds(JsonObject binding, UserInfo user, string? bindingNamespace)
    {
        foreach (var subject in (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = subject["name"]?.GetValue<string>();
            var matched = subject["kind"]?.GetValue<string>() switch
            {
                "User" => name == user.Name,
                "Group" => user.Groups.Contains(name ?? "", StringComparer.Ordinal),
                "ServiceAccount" => $"system:serviceaccount:{subject["namespace"]?.GetValue<string>() ?? bindingNamespace}:{name}" == user.Name,
                _ => false,
            };
            if (matched)
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<JsonObject> RulesOf(JsonObject binding, string? bindingNamespace)
    {
        var roleRef = binding["roleRef"] as JsonObject;
        var name = roleRef?["name"]?.GetValue<string>() ?? "";
        JsonObject? role = roleRef?["kind"]?.GetValue<string>() switch
        {
            "ClusterRole" => TryGet(ResourceCatalog.ClusterRoles, null, name),
            "Role" when bindingNamespace is not null => TryGet(ResourceCatalog.Roles, bindingNamespace, name),
            _ => null,
        };
        return (role?["rules"] as JsonArray ?? []).OfType<JsonObject>();
    }

    private JsonObject? TryGet(ResourceType type, string? ns, string name)
    {
        try
        {
            return store.GetObject(type, ns, name);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>rbac/v1 PolicyRule matching, "*" included (validation.RuleAllows).</summary>
    private static bool RuleAllows(JsonObject rule, RequestInfo request)
    {
        var resource = request.Subresource.Length == 0 ? request.Resource : $"{request.Resource}/{request.Subresource}";
        var names = Strings(rule, "resourceNames");
        return Strings(rule, "verbs").Any(v => v == "*" || v == request.Verb)
            && Strings(rule, "apiGroups").Any(g => g == "*" || g == request.Group)
            && Strings(rule, "resources").Any(r => r == "*" || r == resource
                || (request.Subresource.Length > 0 && r == "*/" + request.Subresource))
            && (names.Count == 0 || (request.Name is not null && names.Contains(request.Name)));
    }

    private static List<string> Strings(JsonObject rule, string field) =>
        (rule[field] as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "").ToList();

    /// <summary>The 403 of the real server, message composed as errors.NewForbidden and the RBAC authorizer do.</summary>
    private static ApiException Forbidden(UserInfo user, RequestInfo request)
    {
        var group = request.Group;
        var qualified = group.Length == 0 ? request.Resource : $"{request.Resource}.{group}";
        var resource = request.Subresource.Length == 0 ? request.Resource : $"{request.Resource}/{request.Subresource}";
        var scope = string.IsNullOrEmpty(request.Namespace) ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        var reason = $"User \"{user.Name}\" cannot {request.Verb} resource \"{resource}\" in API group \"{group}\" {scope}";
        var subject = request.Name is null ? qualified : $"{qualified} \"{request.Name}\"";
        var details = new JsonObject();
        if (request.Name is not null)
        {
            details["name"] = request.Name;
        }

        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = request.Resource;
        return new ApiException(403, "Forbidden", $"{subject} is forbidden: {reason}", details);
    }
}

using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Http;

/// <summary>
/// What a request is about, parsed from its path the way the real server does
/// (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): the Kubernetes verb, group, version,
/// resource, subresource, namespace and name. Authorization, fault matching and the request log
/// all read it.
/// </summary>
internal sealed record RequestInfo(
    bool IsResourceRequest,
    string Verb,
    string Group,
    string Version,
    string Resource,
    string Subresource,
    string? Namespace,
    string? Name)
{
    /// <summary>Namespace subresources: /namespaces/NAME/status is not a resource called "status".</summary>
    private static readonly string[] NamespaceSubresources = ["status", "finalize"];

    public ResourceType? Type => IsResourceRequest ? ResourceCatalog.Find(Group, Version, Resource) : null;

    public static RequestInfo Parse(HttpRequest request)
    {
        var parts = (request.Path.Value ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var nonResource = new RequestInfo(false, request.Method.ToLowerInvariant(), "", "", "", "", null, null);
        int start;
        string group;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, start) = ("", 1);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, start) = (parts[1], 2);
        }
        else
        {
            return nonResource;
        }

        var version = parts[start];
        var rest = parts[(start + 1)..];
        string? ns = null;
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            ns = rest[1];
            if (rest.Length > 2 && !NamespaceSubresources.Contains(rest[2]))
            {
                rest = rest[2..];
            }
        }

        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : "";
        return new RequestInfo(true, VerbOf(request, name), group, version, resource, subresource, ns, name);
    }

    private static string VerbOf(HttpRequest request, string? name)
    {
        var watch = request.Query["watch"].ToString() is "true" or "1";
        return request.Method switch
        {
            // ?watch=true only turns a collection GET into a watch; on an object's path it is a plain get.
            "GET" or "HEAD" when watch && name is null => "watch",
            "GET" or "HEAD" => name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => request.Method.ToLowerInvariant(),
        };
    }
}

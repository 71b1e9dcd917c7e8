using System.Text.Json.Nodes;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Discovery;

/// <summary>
/// Just enough OpenAPI v3 for kubectl: the root index of group versions and, per group version,
/// the paths with their operations, x-kubernetes-group-version-kind and query parameters.
/// kubectl reads the PATCH operation's <c>fieldValidation</c> parameter to learn that the server
/// validates fields itself (cli-runtime resource/query_param_verifier_v3.go); without it, it
/// wants the full schemas to validate client-side. No component schemas are served, so
/// kubectl apply computes strategic merge patches from its compiled-in types.
/// </summary>
internal static class OpenApiDocuments
{
    private const string Hash = "fake0000000000000000000000000000";
    private static readonly string[] QueryParameters = ["dryRun", "fieldManager", "fieldValidation", "pretty"];

    public static JsonObject Root()
    {
        var paths = new JsonObject();
        foreach (var type in ResourceCatalog.All.DistinctBy(t => t.ApiVersion))
        {
            var key = type.GroupVersionPath.TrimStart('/');
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document of one group version ("api/v1", "apis/coordination.k8s.io/v1"), or null.</summary>
    public static JsonObject? GroupVersion(string key)
    {
        var types = ResourceCatalog.All.Where(t => t.GroupVersionPath.TrimStart('/') == key).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var type in types.Where(t => !t.CreateOnly))
        {
            var collection = type.Namespaced
                ? $"{type.GroupVersionPath}/namespaces/{{namespace}}/{type.Resource}"
                : $"{type.GroupVersionPath}/{type.Resource}";
            paths[collection] = new JsonObject
            {
                ["get"] = Operation(type, "list"),
                ["post"] = Operation(type, "post"),
                ["delete"] = Operation(type, "deletecollection"),
            };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = Operation(type, "get"),
                ["put"] = Operation(type, "put"),
                ["patch"] = Operation(type, "patch"),
                ["delete"] = Operation(type, "delete"),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject Operation(ResourceType type, string action)
    {
        var parameters = new JsonArray();
        foreach (var name in QueryParameters)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = name,
                ["in"] = "query",
                ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
            });
        }

        return new JsonObject
        {
            ["operationId"] = $"{action}{type.Kind}",
            ["parameters"] = parameters,
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
        };
    }
}

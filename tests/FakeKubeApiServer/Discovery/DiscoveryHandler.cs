using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Discovery;

/// <summary>
/// Answers the non-resource paths: /version, discovery (legacy and aggregated, chosen by the
/// Accept header as the real server negotiates it), /openapi and the health endpoints.
/// </summary>
internal static class DiscoveryHandler
{
    private const string AggregatedGroup = "apidiscovery.k8s.io";

    public static Task HandleAsync(HttpContext context, string serverAddress, ServerVersion serverVersion)
    {
        var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        if (context.Request.Method is not ("GET" or "HEAD"))
        {
            throw Status.MethodNotAllowed();
        }

        var parts = path.Trim('/').Split('/');
        return parts switch
        {
            ["version"] => JsonIo.WriteAsync(context.Response, 200, DiscoveryDocuments.Version(serverVersion)),
            ["healthz" or "livez" or "readyz"] => WriteTextAsync(context, "ok"),
            ["api"] => AggregatedOrAsync(context, legacy: true, () => DiscoveryDocuments.ApiVersions(serverAddress)),
            ["apis"] => AggregatedOrAsync(context, legacy: false, DiscoveryDocuments.ApiGroupList),
            ["api", var version] => ResourceListAsync(context, "", version),
            ["apis", var group] => GroupAsync(context, group),
            ["apis", var group, var version] => ResourceListAsync(context, group, version),
            ["openapi", ..] => OpenApiHandler.HandleAsync(context, parts[1..]),
            _ => throw Status.ResourceNotFound(),
        };
    }

    private static Task AggregatedOrAsync(HttpContext context, bool legacy, Func<JsonObject> fallback)
    {
        var version = AggregatedVersion(context.Request.Headers.Accept.ToString());
        if (version is null)
        {
            return JsonIo.WriteAsync(context.Response, 200, fallback());
        }

        context.Response.Headers.Vary = "Accept";
        return JsonIo.WriteAsync(
            context.Response,
            200,
            DiscoveryDocuments.Aggregated(legacy, $"{AggregatedGroup}/{version}"),
            $"application/json;g={AggregatedGroup};v={version};as=APIGroupDiscoveryList");
    }

    /// <summary>"v2" or "v2beta1" when the client accepts the aggregated document as JSON, else null.</summary>
    private static string? AggregatedVersion(string accept)
    {
        foreach (var range in accept.Split(','))
        {
            var parameters = range.Split(';').Select(p => p.Trim()).ToList();
            if (parameters[0] == "application/json"
                && parameters.Contains($"g={AggregatedGroup}")
                && parameters.Contains("as=APIGroupDiscoveryList"))
            {
                if (parameters.Contains("v=v2"))
                {
                    return "v2";
                }

                if (parameters.Contains("v=v2beta1"))
                {
                    return "v2beta1";
                }
            }
        }

        return null;
    }

    private static Task ResourceListAsync(HttpContext context, string group, string version) =>
        DiscoveryDocuments.ApiResourceList(group, version) is { } list
            ? JsonIo.WriteAsync(context.Response, 200, list)
            : throw Status.ResourceNotFound();

    private static Task GroupAsync(HttpContext context, string group)
    {
        var type = ResourceCatalog.All.FirstOrDefault(t => t.Group == group && group.Length > 0) ?? throw Status.ResourceNotFound();
        var groupVersion = new JsonObject { ["groupVersion"] = type.ApiVersion, ["version"] = type.Version };
        var document = new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(groupVersion),
            ["preferredVersion"] = groupVersion.DeepClone(),
        };
        return JsonIo.WriteAsync(context.Response, 200, document);
    }

    private static async Task WriteTextAsync(HttpContext context, string text)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text);
    }
}

using FakeKubeApiServer.Http;

namespace FakeKubeApiServer.Discovery;

/// <summary>
/// /openapi/v3 and its group-version documents. /openapi/v2 is a 404, which kubectl tolerates
/// once v3 answers (it then relies on server-side field validation and compiled-in types).
/// </summary>
internal static class OpenApiHandler
{
    public static Task HandleAsync(HttpContext context, string[] parts) => parts switch
    {
        ["v3"] => JsonIo.WriteAsync(context.Response, 200, OpenApiDocuments.Root()),
        ["v3", .. var rest] when OpenApiDocuments.GroupVersion(string.Join('/', rest)) is { } document =>
            JsonIo.WriteAsync(context.Response, 200, document),
        _ => throw Status.ResourceNotFound(),
    };
}

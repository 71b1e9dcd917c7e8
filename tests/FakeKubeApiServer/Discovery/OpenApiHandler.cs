using FakeKubeApiServer.Http;

namespace FakeKubeApiServer.Discovery;

/// <summary>OpenAPI documents: not served; kubectl falls back to its compiled-in schemas.</summary>
internal static class OpenApiHandler
{
    public static Task HandleAsync(HttpContext context, string[] parts)
    {
        _ = context;
        _ = parts;
        throw Status.ResourceNotFound();
    }
}

namespace PullSecretWebhook.Hosting;

/// <summary>Routing answers an unknown path (404) or a wrong method (405, e.g. <c>GET /mutate</c>) with an empty
/// body; this gives those, and any other body-less 4xx, the same JSON error body as every 4xx the server writes
/// itself, so that a client reads one shape of error whatever went wrong.</summary>
internal static class JsonStatusCodes
{
    public static WebApplication UseJsonStatusCodes(this WebApplication app)
    {
        // What UseStatusCodePages does, without the feature it allocates on every request: /mutate is hot.
        app.Use(static (context, next) =>
        {
            var task = next(context);
            return task.IsCompletedSuccessfully && !NeedsBody(context.Response) ? Task.CompletedTask : WriteBodyAsync(task, context);
        });
        return app;
    }

    /// <summary>A 4xx that nothing has written a body for.</summary>
    private static bool NeedsBody(HttpResponse response) =>
        !response.HasStarted
        && response.StatusCode is >= 400 and < 500
        && response.ContentLength is null
        && string.IsNullOrEmpty(response.ContentType);

    private static async Task WriteBodyAsync(Task pending, HttpContext context)
    {
        await pending;
        if (!NeedsBody(context.Response))
        {
            return;
        }

        var (reason, message) = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ("NotFound", "there is no endpoint at this path; admission reviews go to POST /mutate"),
            StatusCodes.Status405MethodNotAllowed => ("MethodNotAllowed", "this method is not allowed on this path; admission reviews go to POST /mutate"),
            _ => ("BadRequest", "the request was refused"),
        };
        await ErrorResponse.WriteAsync(context, context.Response.StatusCode, reason, message);
    }
}

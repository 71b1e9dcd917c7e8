namespace PullSecretWebhook.Hosting;

/// <summary>Routing answers an unknown path (404) or a wrong method (405, e.g. <c>GET /mutate</c>) with an empty
/// body; this gives those, and any other body-less 4xx, the same JSON error body as every 4xx the server writes
/// itself, so that a client reads one shape of error whatever went wrong.</summary>
internal static class JsonStatusCodes
{
    public static WebApplication UseJsonStatusCodes(this WebApplication app)
    {
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            if (status is < 400 or >= 500)
            {
                return;
            }

            var (reason, message) = status switch
            {
                StatusCodes.Status404NotFound => ("NotFound", "there is no endpoint at this path; admission reviews go to POST /mutate"),
                StatusCodes.Status405MethodNotAllowed => ("MethodNotAllowed", "this method is not allowed on this path; admission reviews go to POST /mutate"),
                _ => ("BadRequest", "the request was refused"),
            };
            await ErrorResponse.WriteAsync(http, status, reason, message);
        });
        return app;
    }
}

using Microsoft.Net.Http.Headers;
using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.EndpointAccess;

/// <summary>The transport of endpoint access: takes the bearer token of a request routed to an endpoint marked
/// <see cref="ClusterAccessRequired"/>, asks <see cref="AccessReviewer"/>, and answers 401, 403 or 503 with the JSON
/// error body of every refusal (README, "Who may read /status and /metrics"), or lets the endpoint answer. The path
/// reviewed is the endpoint's route (<c>/metrics</c>), not what the caller typed (<c>/METRICS/</c> routes there too).</summary>
internal static class EndpointAccessMiddleware
{
    private const string BearerPrefix = "Bearer ";

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<ClusterAccessRequired>() is null)
        {
            return next(context);
        }

        var services = context.RequestServices;
        return services.GetRequiredService<EndpointAccessPolicy>().Mode == EndpointAuthorization.None
            ? next(context)
            : ReviewAsync(context, next, PathOf(endpoint, context));
    }

    private static async Task ReviewAsync(HttpContext context, RequestDelegate next, string path)
    {
        var reviewer = context.RequestServices.GetRequiredService<AccessReviewer>();
        var decision = await reviewer.ReviewAsync(BearerToken(context.Request), path, context.RequestAborted);
        if (decision == AccessDecision.Allowed)
        {
            await next(context);
            return;
        }

        AccessLog.Refused(context.RequestServices.GetRequiredService<ILogger<AccessReviewer>>(), path, decision);
        switch (decision)
        {
            case AccessDecision.NoToken:
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ErrorResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", $"{path} needs a bearer token of the cluster (Authorization: Bearer TOKEN)");
                break;
            case AccessDecision.Unauthenticated:
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ErrorResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "the cluster did not authenticate the bearer token");
                break;
            case AccessDecision.Forbidden:
                await ErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", $"the token's user may not get path \"{path}\" (bind the ClusterRole pullsecret-webhook-metrics-reader)");
                break;
            default:
                await ErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "the cluster could not review the bearer token now; try again");
                break;
        }
    }

    /// <summary>The token of <c>Authorization: Bearer TOKEN</c>; null for no header, another scheme or an empty token.</summary>
    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        return header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) && header[BearerPrefix.Length..].Trim() is { Length: > 0 } token
            ? token
            : null;
    }

    private static string PathOf(Endpoint endpoint, HttpContext context) =>
        endpoint is RouteEndpoint { RoutePattern.RawText: { Length: > 0 } pattern }
            ? "/" + pattern.TrimStart('/')
            : context.Request.Path.Value ?? "/";
}

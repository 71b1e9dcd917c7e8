using System.Globalization;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;

namespace FakeKubeApiServer.Admin;

/// <summary>
/// The /_fake/ control surface for a fake running as its own process (admin token required;
/// never in the request log): faults, the request log, closing watches, forgetting history,
/// restarting (asynchronous: GET /_fake/status counts completed restarts).
/// </summary>
internal sealed class AdminEndpoints(FakeApiServer server, string adminToken)
{
    public const string Prefix = "/_fake/";

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + adminToken)
            {
                throw Status.Unauthorized();
            }

            var action = (context.Request.Path.Value ?? "")[Prefix.Length..].TrimEnd('/');
            switch (context.Request.Method, action)
            {
                case ("POST", "faults"):
                    AddFault(await JsonIo.ReadBodyAsync(context.Request, context.RequestAborted) as JsonObject ?? []);
                    await OkAsync(context);
                    break;
                case ("DELETE", "faults"):
                    server.Faults.Clear();
                    await OkAsync(context);
                    break;
                case ("GET", "status"):
                    var status = new JsonObject { ["restarts"] = server.Restarts, ["resourceVersion"] = server.Store.ResourceVersion };
                    await JsonIo.WriteAsync(context.Response, 200, status);
                    break;
                case ("GET", "requests"):
                    await JsonIo.WriteAsync(context.Response, 200, Requests());
                    break;
                case ("DELETE", "requests"):
                    server.Requests.Clear();
                    await OkAsync(context);
                    break;
                case ("POST", "close-watches"):
                    server.CloseAllWatches();
                    await OkAsync(context);
                    break;
                case ("POST", "forget-history"):
                    server.ForgetHistory();
                    await OkAsync(context);
                    break;
                case ("POST", "restart"):
                    // Answer first: the restart closes this very connection.
                    context.Response.OnCompleted(() =>
                    {
                        server.ScheduleRestart();
                        return Task.CompletedTask;
                    });
                    await JsonIo.WriteAsync(context.Response, 202, new JsonObject { ["status"] = "restarting" });
                    break;
                default:
                    throw Status.ResourceNotFound();
            }
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await JsonIo.WriteStatusAsync(context.Response, e);
        }
    }

    /// <summary>
    /// The FailNext/AddLatency parameters as JSON: {"count","verb","pathContains","status",
    /// "retryAfterSeconds" or "retryAfter"} fails requests; {"latencyMilliseconds" or "latency",
    /// "verb","pathContains"} slows them. "retryAfter"/"latency" are TimeSpan strings ("00:00:01.5").
    /// </summary>
    private void AddFault(JsonObject body)
    {
        var verb = body["verb"]?.GetValue<string>();
        var pathContains = body["pathContains"]?.GetValue<string>();
        if (Duration(body, "latency", "latencyMilliseconds", 1) is { } latency)
        {
            server.Faults.AddLatency(latency, verb, pathContains);
            return;
        }

        var status = body["status"]?.GetValue<int>() ?? throw Status.BadRequest("status or latency is required");
        var retryAfter = Duration(body, "retryAfter", "retryAfterSeconds", 1000);
        try
        {
            server.Faults.FailNext(body["count"]?.GetValue<int>() ?? 1, verb, pathContains ?? "", status, retryAfter);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Status.BadRequest(e.Message);
        }
    }

    private static TimeSpan? Duration(JsonObject body, string timeSpanField, string numberField, double millisecondsPerUnit)
    {
        if (body[timeSpanField]?.GetValue<string>() is { } text)
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw Status.BadRequest($"{timeSpanField}: \"{text}\" is not a duration like 00:00:01.5");
        }

        return body[numberField] is { } number ? TimeSpan.FromMilliseconds(number.GetValue<double>() * millisecondsPerUnit) : null;
    }

    private JsonArray Requests()
    {
        var entries = new JsonArray();
        foreach (var e in server.Requests.Snapshot())
        {
            entries.Add(new JsonObject
            {
                ["time"] = e.Time.ToString("O", CultureInfo.InvariantCulture),
                ["verb"] = e.Verb,
                ["resource"] = e.Resource,
                ["namespace"] = e.Namespace,
                ["name"] = e.Name,
                ["user"] = e.User,
                ["status"] = e.Status,
                ["userAgent"] = e.UserAgent,
            });
        }

        return entries;
    }

    private static Task OkAsync(HttpContext context) =>
        JsonIo.WriteAsync(context.Response, 200, new JsonObject { ["status"] = "ok" });
}

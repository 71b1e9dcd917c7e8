using FakeKubeApiServer.Auth;
using FakeKubeApiServer.Discovery;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Http;

/// <summary>
/// The request path of the real server, in its order: authentication (401), fault injection
/// (where API Priority and Fairness would throttle), authorization (403), then discovery or the
/// resource handler. Every request except the /_fake/ admin calls lands in the request log.
/// </summary>
internal sealed class ApiPipeline(
    Authenticator authenticator,
    RbacAuthorizer authorizer,
    FaultInjector faults,
    RequestLog log,
    ResourceHandler resources,
    Func<string> serverAddress,
    ServerVersion serverVersion,
    TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var info = RequestInfo.Parse(context.Request);
        var path = context.Request.Path.Value ?? "/";
        UserInfo? user = null;
        context.Response.OnStarting(() =>
        {
            log.Add(new RequestLogEntry(
                time.GetUtcNow(),
                info.Verb,
                info.Resource,
                info.Namespace,
                info.Name,
                user?.Name ?? "",
                context.Response.StatusCode,
                context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null));
            return Task.CompletedTask;
        });

        try
        {
            user = authenticator.Authenticate(context) ?? throw Status.Unauthorized();
            var pathAndQuery = path + context.Request.QueryString;
            if (faults.LatencyFor(info.Verb, pathAndQuery) is { } latency && latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, time, context.RequestAborted);
            }

            if (faults.TakeHold(info.Verb, pathAndQuery) is { } hold)
            {
                await hold.HoldAsync(context.RequestAborted);
            }

            if (faults.TakeFailure(info.Verb, pathAndQuery) is { } fault)
            {
                throw fault;
            }

            user = Impersonation.Apply(context, user, authorizer);
            authorizer.Authorize(user, info, path);
            if (info.Type == ResourceCatalog.SelfSubjectAccessReviews && info.Verb == "create")
            {
                await AccessReviewHandler.HandleAsync(context, user, authorizer);
            }
            else if (info.IsResourceRequest)
            {
                await resources.HandleAsync(context, info);
            }
            else
            {
                await DiscoveryHandler.HandleAsync(context, serverAddress(), serverVersion);
            }
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await JsonIo.WriteStatusAsync(context.Response, e);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (InvalidOperationException e) when (!context.Response.HasStarted && info.Verb is "create" or "update" or "patch")
        {
            // A field of the wrong JSON type (a number where a string belongs): the real server's
            // decoder rejects such a body with 400 before any validation.
            await JsonIo.WriteStatusAsync(context.Response, Status.BadRequest($"the object provided is unrecognized: {e.Message}"));
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            // A bug in the fake: answer like the real server's panic recovery, with the cause
            // in the message so the failing test shows it.
            await JsonIo.WriteStatusAsync(context.Response, new ApiException(500, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}"));
        }
    }
}

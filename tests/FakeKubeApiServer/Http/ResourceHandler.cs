using System.Globalization;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Admission;
using FakeKubeApiServer.Patching;
using FakeKubeApiServer.Selectors;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Http;

/// <summary>
/// The REST verbs on a resource (k8s.io/apiserver/pkg/endpoints/handlers): get, list, watch,
/// create, update, patch, delete, deletecollection. Semantics live in <see cref="ObjectStore"/>;
/// this class maps HTTP to it and back.
/// </summary>
internal sealed class ResourceHandler(ObjectStore store, WatchStreamer watches, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, RequestInfo info)
    {
        var type = info.Type ?? throw Status.ResourceNotFound();
        if (type.CreateOnly)
        {
            throw Status.MethodNotAllowed();
        }

        if (type == ResourceCatalog.Namespaces && info.Subresource == "finalize" && info.Verb == "update")
        {
            var finalize = await ObjectBodyAsync(context, type, null);
            await RespondAsync(context, type, 200, store.FinalizeNamespace(info.Name!, finalize, ManagerOf(context)));
            return;
        }

        if (info.Subresource.Length > 0)
        {
            throw Status.ResourceNotFound();
        }

        var ns = type.Namespaced ? info.Namespace : null;
        if (type.Namespaced && ns is null && info.Verb is not ("list" or "watch"))
        {
            throw Status.ResourceNotFound();
        }

        if (!type.Namespaced && info.Namespace is not null && type != ResourceCatalog.Namespaces)
        {
            throw Status.ResourceNotFound();
        }

        var flags = context.Request.Query["dryRun"].Count > 0 ? WriteFlags.DryRun : WriteFlags.None;
        switch (info.Verb)
        {
            case "get":
                await RespondAsync(context, type, 200, store.GetObject(type, ns, info.Name!));
                break;
            case "list":
                await ListAsync(context, type, ns);
                break;
            case "watch":
                await WatchAsync(context, type, ns, info.Name);
                break;
            case "create":
                await CreateAsync(context, type, ns, flags);
                break;
            case "update":
                var body = await ObjectBodyAsync(context, type, ns);
                if (ObjectShape.Name(body) != info.Name)
                {
                    throw Status.BadRequest($"the name of the object ({ObjectShape.Name(body)}) does not match the name on the URL ({info.Name})");
                }

                await RespondAsync(context, type, 200, store.UpdateObject(type, ns, info.Name!, body, flags, ManagerOf(context)));
                break;
            case "patch":
                await PatchAsync(context, type, ns, info.Name!, flags);
                break;
            case "delete":
                await DeleteAsync(context, type, ns, info.Name!, flags);
                break;
            case "deletecollection" when type.NoDeleteCollection:
                throw Status.MethodNotAllowed();
            case "deletecollection":
                await DeleteCollectionAsync(context, type, ns, flags);
                break;
            default:
                throw Status.MethodNotAllowed();
        }
    }

    private async Task ListAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"], type);
        int? limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : null;
        var exactly = ListResourceVersion(query["resourceVersion"].ToString(), query["resourceVersionMatch"].ToString(), limit);
        var result = store.ListObjects(type, ns, labels, fields, limit, query["continue"], exactly);
        var metadata = new JsonObject { ["resourceVersion"] = Status.Format(result.ResourceVersion) };
        if (result.Continue is not null)
        {
            metadata["continue"] = result.Continue;
        }

        if (result.RemainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        if (TableConverter.Wanted(context.Request.Headers.Accept.ToString()))
        {
            var table = TableConverter.Convert(type, result.Items, metadata, query["includeObject"].ToString(), time.GetUtcNow());
            await JsonIo.WriteAsync(context.Response, 200, table, "application/json;as=Table;v=v1;g=meta.k8s.io");
            return;
        }

        // Items of a typed list carry no kind/apiVersion on the wire; only the list does.
        var items = new JsonArray();
        foreach (var item in result.Items)
        {
            item.Remove("kind");
            item.Remove("apiVersion");
            items.Add(item);
        }

        var list = new JsonObject { ["kind"] = type.ListKind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata, ["items"] = items };
        await JsonIo.WriteAsync(context.Response, 200, list);
    }

    /// <summary>
    /// The list's resourceVersion and resourceVersionMatch (https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions):
    /// the snapshot to list from for an exact match (also a legacy version with a limit), else
    /// null for the current state, which is never older than any version handed out. A version
    /// newer than the store's is the watch cache's 504 after its wait (the fake answers at once).
    /// </summary>
    private long? ListResourceVersion(string resourceVersion, string match, int? limit)
    {
        if (match.Length > 0 && match is not ("Exact" or "NotOlderThan"))
        {
            throw ListOptionsInvalid(FieldError.NotSupported("resourceVersionMatch", match, ["Exact", "NotOlderThan", ""]));
        }

        if (match.Length > 0 && resourceVersion.Length == 0)
        {
            throw ListOptionsInvalid(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
        }

        if (resourceVersion.Length == 0)
        {
            return null;
        }

        if (!ulong.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw Status.Unreasoned($"resourceVersion: Invalid value: \"{resourceVersion}\": strconv.ParseUint: parsing \"{resourceVersion}\": invalid syntax");
        }

        var current = long.Parse(store.ResourceVersion, CultureInfo.InvariantCulture);
        if (version > (ulong)current)
        {
            var details = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
                ["retryAfterSeconds"] = 1,
            };
            throw new ApiException(504, "Timeout", $"Timeout: Too large resource version: {version}, current: {current}", details) { RetryAfter = TimeSpan.FromSeconds(1) };
        }

        return version > 0 && (match == "Exact" || (match.Length == 0 && limit is > 0)) ? (long)version : null;
    }

    private static ApiException ListOptionsInvalid(FieldError error) =>
        new(422, "Invalid", $"ListOptions.meta.k8s.io \"\" is invalid: {error}", new JsonObject
        {
            ["group"] = "meta.k8s.io",
            ["kind"] = "ListOptions",
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = error.Reason, ["message"] = error.Message, ["field"] = error.Field }),
        });

    private async Task WatchAsync(HttpContext context, ResourceType type, string? ns, string? name)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fieldText = query["fieldSelector"].ToString();
        if (name is not null)
        {
            // A watch on /resource/NAME is a watch filtered to that name.
            fieldText = string.IsNullOrEmpty(fieldText) ? $"metadata.name={name}" : $"{fieldText},metadata.name={name}";
        }

        var fields = FieldSelector.Parse(fieldText, type);
        var bookmarks = query["allowWatchBookmarks"].ToString() == "true";
        var sendInitial = query["sendInitialEvents"].ToString() == "true";
        WatchSubscription subscription;
        try
        {
            subscription = store.Watch(type, ns, labels, fields, query["resourceVersion"], sendInitial);
        }
        catch (ApiException e) when (e.Code == 410)
        {
            await WatchStreamer.ExpiredAsync(context, e);
            return;
        }

        Func<JsonObject, JsonObject> present = obj => obj;
        if (TableConverter.Wanted(context.Request.Headers.Accept.ToString()))
        {
            var include = query["includeObject"].ToString();
            present = obj => TableConverter.Convert(type, [obj], [], include, time.GetUtcNow());
        }

        await watches.StreamAsync(context, subscription, bookmarks, present);
    }

    private async Task CreateAsync(HttpContext context, ResourceType type, string? ns, WriteFlags flags)
    {
        var body = await ObjectBodyAsync(context, type, ns);
        if (ObjectShape.ResourceVersion(body) is { Length: > 0 })
        {
            // The storage layer's refusal: a plain error, so a 500 without a reason.
            throw Status.Unreasoned("resourceVersion should not be set on objects to be created");
        }

        var created = store.CreateObject(type, ns, body, flags, ManagerOf(context));
        await RespondAsync(context, type, 201, created);
    }

    private async Task PatchAsync(HttpContext context, ResourceType type, string? ns, string name, WriteFlags flags)
    {
        var mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        Func<JsonObject, JsonNode?, JsonObject> apply = mediaType switch
        {
            "application/json-patch+json" => JsonPatch.Apply,
            "application/merge-patch+json" => (current, patch) =>
                JsonMergePatch.Apply(current, patch) as JsonObject ?? throw MergePatchNotAnObject(patch),
            "application/strategic-merge-patch+json" => (current, patch) => StrategicMergePatch.Apply(current, patch, PatchSchema.For(type)),
            _ => throw Status.UnsupportedMediaType(mediaType),
        };
        var patch = await JsonIo.ReadBodyAsync(context.Request, context.RequestAborted);
        var patched = store.PatchObject(type, ns, name, current => apply(current, patch), flags, ManagerOf(context));
        await RespondAsync(context, type, 200, patched);
    }

    /// <summary>A merge patch whose result is no object fails decoding into the kind: 422 on the field "patch".</summary>
    private static ApiException MergePatchNotAnObject(JsonNode? patch)
    {
        var value = patch?.ToJsonString() ?? "null";
        var detail = "couldn't get version/kind; json parse error: the patched document is not an object";
        var details = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = $"Invalid value: \"{value}\": {detail}", ["field"] = "patch" }),
        };
        return new ApiException(422, "Invalid", $" \"\" is invalid: patch: Invalid value: \"{value}\": {detail}", details);
    }

    private async Task DeleteAsync(HttpContext context, ResourceType type, string? ns, string name, WriteFlags flags)
    {
        // DeleteOptions may come in the body (client-go sends them there) or not at all.
        var options = await JsonIo.ReadBodyAsync(context.Request, context.RequestAborted) as JsonObject;
        var preconditions = options?["preconditions"] as JsonObject;
        if (options?["dryRun"] is JsonArray { Count: > 0 })
        {
            flags |= WriteFlags.DryRun;
        }

        var deleted = store.DeleteObject(type, ns, name, preconditions?["uid"]?.GetValue<string>(), preconditions?["resourceVersion"]?.GetValue<string>(), flags);
        if (deleted["metadata"]?["deletionTimestamp"] is not null && store.Exists(type, ns, name))
        {
            // Finalizers keep it: the answer is the object as marked, with 200 (202 only when a client asked
            // for orphanDependents=false, which nobody does any more).
            await RespondAsync(context, type, 200, deleted);
        }
        else if (type == ResourceCatalog.Pods || type == ResourceCatalog.Namespaces)
        {
            // These registries set ReturnDeletedObject; the others answer a Success Status.
            await RespondAsync(context, type, 200, deleted);
        }
        else
        {
            await JsonIo.WriteAsync(context.Response, 200, Status.Success(type, name, ObjectShape.Uid(deleted)));
        }
    }

    private async Task DeleteCollectionAsync(HttpContext context, ResourceType type, string? ns, WriteFlags flags)
    {
        var query = context.Request.Query;
        var result = store.ListObjects(type, ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], type), null, null);
        var items = new JsonArray();
        foreach (var item in result.Items)
        {
            var deleted = store.DeleteObject(type, ObjectShape.Namespace(item), ObjectShape.Name(item)!, null, null, flags);
            deleted.Remove("kind");
            deleted.Remove("apiVersion");
            items.Add(deleted);
        }

        var list = new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = store.ResourceVersion },
            ["items"] = items,
        };
        await JsonIo.WriteAsync(context.Response, 200, list);
    }

    /// <summary>
    /// Reads a create/update body. A missing kind/apiVersion defaults to the endpoint's (the
    /// decoder's default GVK); a different one, or a namespace other than the URL's, is a 400.
    /// </summary>
    private static async Task<JsonObject> ObjectBodyAsync(HttpContext context, ResourceType type, string? ns)
    {
        if (await JsonIo.ReadObjectAsync(context.Request, context.RequestAborted) is not JsonObject body)
        {
            throw Status.BadRequest("the object provided is unrecognized (must be of type " + type.Kind + "): couldn't get version/kind; json parse error: expected an object");
        }

        var kind = body["kind"]?.GetValue<string>();
        var apiVersion = body["apiVersion"]?.GetValue<string>();
        if (kind is not null && kind != type.Kind)
        {
            throw Status.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        if (apiVersion is not null && apiVersion != type.ApiVersion)
        {
            throw Status.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        if (type.Namespaced && ObjectShape.Namespace(body) is { Length: > 0 } bodyNs && bodyNs != ns)
        {
            throw Status.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        return body;
    }

    /// <summary>The fieldManager parameter, else the user agent's product ("kubectl" of "kubectl/v1.32.4 ..."), as managerOrUserAgent does.</summary>
    private static string ManagerOf(HttpContext context)
    {
        var manager = context.Request.Query["fieldManager"].ToString();
        if (manager.Length > 0)
        {
            return manager;
        }

        var agent = context.Request.Headers.UserAgent.ToString().Split('/')[0].Trim();
        return agent.Length > 0 ? agent : "unknown";
    }

    private async Task RespondAsync(HttpContext context, ResourceType type, int status, JsonObject obj)
    {
        if (TableConverter.Wanted(context.Request.Headers.Accept.ToString()))
        {
            var table = TableConverter.Convert(type, [obj], new JsonObject { ["resourceVersion"] = ObjectShape.ResourceVersion(obj) }, context.Request.Query["includeObject"].ToString(), time.GetUtcNow());
            await JsonIo.WriteAsync(context.Response, status, table, "application/json;as=Table;v=v1;g=meta.k8s.io");
            return;
        }

        await JsonIo.WriteAsync(context.Response, status, obj);
    }
}

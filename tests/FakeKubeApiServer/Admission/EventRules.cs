using System.Text.Json.Nodes;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Admission;

/// <summary>
/// Events, stored in the core v1 schema whichever API wrote them (pkg/apis/core/validation/events.go).
/// Core v1 writes get only the legacy checks (namespace agreement; the reporting fields once an
/// eventTime is set) and no name rules at all; events.k8s.io/v1 writes are strict: object
/// metadata, eventTime, type Normal or Warning, and the deprecated fields left unset.
/// </summary>
internal static class EventRules
{
    private const int ReportingInstanceLengthLimit = 128;
    private const int ActionLengthLimit = 128;
    private const int ReasonLengthLimit = 128;
    private const int NoteLengthLimit = 1024;

    /// <summary>The fields a core v1 Event always carries on the wire (no omitempty in its Go type), and its times
    /// parsed as the decoder parses them.</summary>
    public static void Default(JsonObject ev)
    {
        ev["involvedObject"] ??= new JsonObject();
        ev["source"] ??= new JsonObject();
        foreach (var field in new[] { "firstTimestamp", "lastTimestamp" })
        {
            TimeFormats.NormalizeTime(ResourceCatalog.CoreEvents, ev, field);
            if (!ev.ContainsKey(field))
            {
                ev[field] = null;
            }
        }

        TimeFormats.NormalizeMicroTime(ResourceCatalog.CoreEvents, ev, "eventTime");
        if (!ev.ContainsKey("eventTime"))
        {
            ev["eventTime"] = null;
        }

        if (ev["series"] is JsonObject series)
        {
            TimeFormats.NormalizeMicroTime(ResourceCatalog.CoreEvents, series, "lastObservedTime");
        }

        ev["reportingComponent"] ??= "";
        ev["reportingInstance"] ??= "";

        // omitempty scalars of the core v1 type.
        foreach (var field in new[] { "reason", "message", "type", "action" })
        {
            if (ev[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length == 0)
            {
                ev.Remove(field);
            }
        }

        if (ev["count"] is JsonValue count && count.TryGetValue<long>(out var n) && n == 0)
        {
            ev.Remove("count");
        }
    }

    /// <param name="strict">Written through events.k8s.io/v1 (not core v1).</param>
    public static void Validate(JsonObject ev, bool strict, FieldErrors errors)
    {
        ValidateLegacy(ev, strict, errors);
        if (!strict)
        {
            return;
        }

        if (ev["series"] is JsonObject series)
        {
            if ((series["count"]?.GetValue<long>() ?? 0) < 2)
            {
                errors.Add(FieldError.Invalid("series.count", "", "should be at least 2"));
            }

            if (series["lastObservedTime"] is null)
            {
                errors.Add(FieldError.Required("series.lastObservedTime"));
            }
        }

        if (ev["eventTime"] is null)
        {
            errors.Add(FieldError.Required("eventTime"));
        }

        var type = Text(ev, "type");
        if (type is not ("Normal" or "Warning"))
        {
            errors.Add(FieldError.Invalid("type", "", $"has invalid value: {type}"));
        }

        foreach (var field in new[] { "firstTimestamp", "lastTimestamp" })
        {
            if (ev[field] is not null)
            {
                errors.Add(FieldError.Invalid(field, "", "needs to be unset"));
            }
        }

        if ((ev["count"]?.GetValue<long>() ?? 0) != 0)
        {
            errors.Add(FieldError.Invalid("count", "", "needs to be unset"));
        }

        if (Text(ev["source"], "component").Length > 0 || Text(ev["source"], "host").Length > 0)
        {
            errors.Add(FieldError.Invalid("source", "", "needs to be unset"));
        }
    }

    private static void ValidateLegacy(JsonObject ev, bool strict, FieldErrors errors)
    {
        var ns = Text(ev["metadata"], "namespace");
        var involvedNamespace = Text(ev["involvedObject"], "namespace");
        if (ev["eventTime"] is null)
        {
            // Old-style events: the namespace must agree with the object's (or be default, for old clients).
            if (involvedNamespace.Length == 0 ? ns is not ("" or "default") : ns != involvedNamespace)
            {
                errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"));
            }

            return;
        }

        if (involvedNamespace.Length == 0 && ns is not ("default" or "kube-system"))
        {
            errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"));
        }

        // Since 1.22 a core v1 write names the field as core v1 spells it.
        var reportingField = strict ? "reportingController" : "reportingComponent";
        var reportingController = Text(ev, "reportingComponent");
        if (reportingController.Length == 0)
        {
            errors.Add(FieldError.Required(reportingField));
        }

        if (NameRules.CheckQualifiedName(reportingController) is { } problem)
        {
            errors.Add(FieldError.Invalid(reportingField, reportingController, problem));
        }

        RequiredAndShort(ev, "reportingInstance", ReportingInstanceLengthLimit, errors);
        RequiredAndShort(ev, "action", ActionLengthLimit, errors);
        RequiredAndShort(ev, "reason", ReasonLengthLimit, errors);
        if (Text(ev, "message").Length > NoteLengthLimit)
        {
            errors.Add(FieldError.Invalid("message", "", $"can have at most {NoteLengthLimit} characters"));
        }
    }

    private static void RequiredAndShort(JsonObject ev, string field, int limit, FieldErrors errors)
    {
        var value = Text(ev, field);
        if (value.Length == 0)
        {
            errors.Add(FieldError.Required(field));
        }

        if (value.Length > limit)
        {
            errors.Add(FieldError.Invalid(field, "", $"can have at most {limit} characters"));
        }
    }

    private static string Text(JsonNode? node, string field) =>
        node is JsonObject obj && obj[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
}

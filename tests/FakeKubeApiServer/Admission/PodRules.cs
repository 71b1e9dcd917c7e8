using System.Text.Json.Nodes;

namespace FakeKubeApiServer.Admission;

/// <summary>
/// The Pod defaults and checks a client notices (pkg/apis/core/v1/defaults.go, ValidatePod):
/// defaulted fields appear in what the server returns, and the spec is immutable after create
/// except images, activeDeadlineSeconds and added tolerations.
/// </summary>
internal static class PodRules
{
    public static void Default(JsonObject pod)
    {
        if (pod["spec"] is not JsonObject spec)
        {
            return;
        }

        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["securityContext"] ??= new JsonObject();
        spec["serviceAccountName"] ??= spec["serviceAccount"]?.DeepClone() ?? "default";
        spec["serviceAccount"] ??= spec["serviceAccountName"]!.DeepClone();
        spec["enableServiceLinks"] ??= true;
        spec["preemptionPolicy"] ??= "PreemptLowerPriority";
        spec["priority"] ??= 0;
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (spec[list] is JsonArray containers)
            {
                foreach (var container in containers.OfType<JsonObject>())
                {
                    container["terminationMessagePath"] ??= "/dev/termination-log";
                    container["terminationMessagePolicy"] ??= "File";
                    container["imagePullPolicy"] ??= PullPolicyFor(container["image"]?.GetValue<string>());
                    container["resources"] ??= new JsonObject();
                }
            }
        }

        // The DefaultTolerationSeconds admission plugin: tolerate a not-ready or unreachable node for 5 minutes
        // unless the Pod already says otherwise about those taints.
        if (spec["tolerations"] is not JsonArray tolerations)
        {
            tolerations = [];
            spec["tolerations"] = tolerations;
        }

        foreach (var taint in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            if (!tolerations.OfType<JsonObject>().Any(t => t["key"]?.GetValue<string>() == taint && t["effect"]?.GetValue<string>() is "NoExecute" or null))
            {
                tolerations.Add(new JsonObject { ["key"] = taint, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
            }
        }

        if (pod["status"] is not JsonObject status || status.Count == 0)
        {
            pod["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
        }
    }

    public static void Validate(JsonObject pod, FieldErrors errors)
    {
        if (pod["spec"]?["containers"] is not JsonArray { Count: > 0 } containers)
        {
            errors.Add(FieldError.Required("spec.containers"));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var name = containers[i]?["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(FieldError.Required($"spec.containers[{i}].name"));
            }
            else if (NameRules.CheckLabel(name) is { } problem)
            {
                errors.Add(FieldError.Invalid($"spec.containers[{i}].name", name, problem));
            }
            else if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate($"spec.containers[{i}].name", name));
            }

            if (string.IsNullOrEmpty(containers[i]?["image"]?.GetValue<string>()))
            {
                errors.Add(FieldError.Required($"spec.containers[{i}].image"));
            }
        }
    }

    public static void ValidateUpdate(JsonObject old, JsonObject updated, FieldErrors errors)
    {
        if (!JsonNode.DeepEquals(MutableFieldsCleared(old), MutableFieldsCleared(updated)))
        {
            errors.Add(FieldError.Forbidden("spec",
                "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
        }
    }

    private static JsonObject? MutableFieldsCleared(JsonObject pod)
    {
        if (pod["spec"]?.DeepClone() is not JsonObject spec)
        {
            return null;
        }

        spec.Remove("activeDeadlineSeconds");
        spec.Remove("tolerations");
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                container.Remove("image");
            }
        }

        return spec;
    }

    /// <summary>Always for :latest or untagged images, else IfNotPresent (SetDefaults_Container).</summary>
    private static string PullPolicyFor(string? image)
    {
        if (string.IsNullOrEmpty(image) || image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }

        var lastSlash = image.LastIndexOf('/');
        var tagColon = image.IndexOf(':', lastSlash + 1);
        return tagColon < 0 || image[(tagColon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }
}

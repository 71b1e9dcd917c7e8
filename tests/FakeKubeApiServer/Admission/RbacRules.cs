using System.Text.Json.Nodes;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Admission;

/// <summary>
/// RBAC defaults and validation (pkg/apis/rbac/v1/defaults.go, pkg/apis/rbac/validation): rules
/// need verbs and, for resources, API groups; a binding's roleRef names a Role or ClusterRole and
/// never changes once made.
/// </summary>
internal static class RbacRules
{
    private const string Group = "rbac.authorization.k8s.io";

    public static void Default(JsonObject obj)
    {
        if (obj["roleRef"] is JsonObject roleRef && string.IsNullOrEmpty(roleRef["apiGroup"]?.GetValue<string>()))
        {
            roleRef["apiGroup"] = Group;
        }

        foreach (var subject in (obj["subjects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (string.IsNullOrEmpty(subject["apiGroup"]?.GetValue<string>()))
            {
                subject["apiGroup"] = subject["kind"]?.GetValue<string>() is "User" or "Group" ? Group : "";
            }

            if (subject["apiGroup"]?.GetValue<string>() == "")
            {
                subject.Remove("apiGroup");
            }
        }
    }

    public static void Validate(ResourceType type, JsonObject obj, FieldErrors errors)
    {
        if (type == ResourceCatalog.Roles || type == ResourceCatalog.ClusterRoles)
        {
            ValidateRules(obj["rules"] as JsonArray ?? [], namespaced: type == ResourceCatalog.Roles, errors);
        }
        else
        {
            ValidateBinding(obj, namespaced: type == ResourceCatalog.RoleBindings, errors);
        }
    }

    public static void ValidateUpdate(ResourceType type, JsonObject old, JsonObject updated, FieldErrors errors)
    {
        if ((type == ResourceCatalog.RoleBindings || type == ResourceCatalog.ClusterRoleBindings)
            && !JsonNode.DeepEquals(old["roleRef"], updated["roleRef"]))
        {
            var roleRef = updated["roleRef"];
            errors.Add(FieldError.Invalid("roleRef", $"rbac.RoleRef{{APIGroup:\"{roleRef?["apiGroup"]}\", Kind:\"{roleRef?["kind"]}\", Name:\"{roleRef?["name"]}\"}}", "cannot change roleRef"));
        }
    }

    private static void ValidateRules(JsonArray rules, bool namespaced, FieldErrors errors)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i] as JsonObject ?? [];
            var path = $"rules[{i}]";
            var nonResourceUrls = rule["nonResourceURLs"] as JsonArray ?? [];
            if (rule["verbs"] is not JsonArray { Count: > 0 })
            {
                errors.Add(FieldError.Required($"{path}.verbs", "verbs must contain at least one value"));
            }

            if (nonResourceUrls.Count > 0)
            {
                if (namespaced)
                {
                    errors.Add(FieldError.Invalid($"{path}.nonResourceURLs", string.Join(",", nonResourceUrls.Select(u => u?.ToString())), "namespaced rules cannot apply to non-resource URLs"));
                }

                if (rule["apiGroups"] is JsonArray { Count: > 0 } || rule["resources"] is JsonArray { Count: > 0 } || rule["resourceNames"] is JsonArray { Count: > 0 })
                {
                    errors.Add(FieldError.Invalid($"{path}.nonResourceURLs", string.Join(",", nonResourceUrls.Select(u => u?.ToString())), "rules cannot apply to both regular resources and non-resource URLs"));
                }

                continue;
            }

            if (rule["apiGroups"] is not JsonArray { Count: > 0 })
            {
                errors.Add(FieldError.Required($"{path}.apiGroups", "resource rules must supply at least one api group"));
            }

            if (rule["resources"] is not JsonArray { Count: > 0 })
            {
                errors.Add(FieldError.Required($"{path}.resources", "resource rules must supply at least one resource"));
            }
        }
    }

    private static void ValidateBinding(JsonObject binding, bool namespaced, FieldErrors errors)
    {
        var roleRef = binding["roleRef"] as JsonObject ?? [];
        var kind = roleRef["kind"]?.GetValue<string>() ?? "";
        string[] kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
        if (roleRef["apiGroup"]?.GetValue<string>() is { } apiGroup && apiGroup != Group)
        {
            errors.Add(FieldError.NotSupported("roleRef.apiGroup", apiGroup, [Group]));
        }

        if (!kinds.Contains(kind, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported("roleRef.kind", kind, kinds));
        }

        if (string.IsNullOrEmpty(roleRef["name"]?.GetValue<string>()))
        {
            errors.Add(FieldError.Required("roleRef.name"));
        }

        var subjects = binding["subjects"] as JsonArray ?? [];
        for (var i = 0; i < subjects.Count; i++)
        {
            var subject = subjects[i] as JsonObject ?? [];
            var path = $"subjects[{i}]";
            var subjectKind = subject["kind"]?.GetValue<string>() ?? "";
            if (string.IsNullOrEmpty(subject["name"]?.GetValue<string>()))
            {
                errors.Add(FieldError.Required($"{path}.name"));
            }

            switch (subjectKind)
            {
                case "ServiceAccount" when string.IsNullOrEmpty(subject["namespace"]?.GetValue<string>()):
                    errors.Add(FieldError.Required($"{path}.namespace"));
                    break;
                case "ServiceAccount":
                    break;
                case "User" or "Group" when subject["apiGroup"]?.GetValue<string>() != Group:
                    errors.Add(FieldError.NotSupported($"{path}.apiGroup", subject["apiGroup"]?.GetValue<string>() ?? "", [Group]));
                    break;
                case "User" or "Group":
                    break;
                default:
                    errors.Add(FieldError.NotSupported($"{path}.kind", subjectKind, ["ServiceAccount", "User", "Group"]));
                    break;
            }
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Discovery;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Admission;

/// <summary>
/// Defaulting then validation of an incoming object, the way a registry strategy runs them
/// (PrepareForCreate/Validate, PrepareForUpdate/ValidateUpdate). Runs under the store lock on a
/// private copy.
/// </summary>
internal static class ObjectAdmission
{
    private const int MaxAnnotationsSize = 256 * 1024;

    /// <summary>
    /// Fields the posed-as release does not keep are dropped silently, as its decoder drops unknown fields and its
    /// strategy drops fields whose feature gate is off (dropDisabledFields). Seeded objects keep what they are given.
    /// </summary>
    public static void DropUnsupportedFields(ResourceType type, JsonObject obj, ServerVersion version)
    {
        if (type == ResourceCatalog.MutatingWebhookConfigurations)
        {
            WebhookConfigurationRules.DropUnsupportedFields(obj, version);
        }
    }

    /// <summary>Standard finalizer names (ValidateFinalizerName); any other needs a domain prefix.</summary>
    private static readonly string[] StandardFinalizers = ["kubernetes", "orphan", "foregroundDeletion"];

    /// <summary>
    /// Decoding (nulls and empty omitempty fields gone, times parsed) and defaulting, for a create
    /// (<paramref name="current"/> null) or an update of <paramref name="current"/>.
    /// </summary>
    public static void Default(ResourceType view, JsonObject obj, JsonObject? current = null)
    {
        var type = StorageMapping.StorageOf(view);
        WireDecoding.Apply(type, obj);
        if (type == ResourceCatalog.Secrets)
        {
            SecretRules.Default(obj);
        }
        else if (type == ResourceCatalog.Namespaces)
        {
            DefaultNamespace(obj, current);
        }
        else if (type == ResourceCatalog.Pods)
        {
            PodRules.Default(obj);
        }
        else if (type == ResourceCatalog.MutatingWebhookConfigurations)
        {
            WebhookConfigurationRules.Default(obj);
        }
        else if (type == ResourceCatalog.Leases)
        {
            LeaseRules.Default(obj);
        }
        else if (type == ResourceCatalog.CoreEvents)
        {
            EventRules.Default(obj);
        }
        else if (type.Group == "rbac.authorization.k8s.io")
        {
            RbacRules.Default(obj);
        }
    }

    public static void ValidateCreate(ResourceType view, JsonObject obj)
    {
        var type = StorageMapping.StorageOf(view);
        var errors = new FieldErrors();
        ValidateMetadata(view, obj, errors);
        ValidateKind(view, obj, errors);
        errors.ThrowIfAny(type, NameOf(obj));
    }

    public static void ValidateUpdate(ResourceType view, JsonObject old, JsonObject updated)
    {
        var type = StorageMapping.StorageOf(view);
        var errors = new FieldErrors();
        ValidateMetadata(view, updated, errors);
        ValidateKind(view, updated, errors);
        if (type == ResourceCatalog.Secrets)
        {
            SecretRules.ValidateUpdate(old, updated, errors);
        }
        else if (type == ResourceCatalog.Pods)
        {
            PodRules.ValidateUpdate(old, updated, errors);
        }
        else if (type.Group == "rbac.authorization.k8s.io")
        {
            RbacRules.ValidateUpdate(type, old, updated, errors);
        }

        errors.ThrowIfAny(type, NameOf(updated));
    }

    /// <summary>The finalize subresource's only rule: finalizer names.</summary>
    public static void ValidateFinalizeUpdate(JsonObject ns)
    {
        var errors = new FieldErrors();
        ValidateFinalizers(ns["spec"]?["finalizers"] as JsonArray, "spec.finalizers", errors);
        errors.ThrowIfAny(ResourceCatalog.Namespaces, NameOf(ns));
    }

    /// <summary>A patch whose result carries another uid: metadata.uid is immutable (a PUT instead makes it a
    /// precondition).</summary>
    public static void ValidateUidUnchanged(ResourceType view, JsonObject old, JsonObject patched)
    {
        if (patched["metadata"]?["uid"]?.GetValue<string>() is { Length: > 0 } uid && uid != old["metadata"]?["uid"]?.GetValue<string>())
        {
            var errors = new FieldErrors { FieldError.Invalid("metadata.uid", uid, "field is immutable") };
            errors.ThrowIfAny(StorageMapping.StorageOf(view), NameOf(old));
        }
    }

    private static void ValidateKind(ResourceType view, JsonObject obj, FieldErrors errors)
    {
        var type = StorageMapping.StorageOf(view);
        if (type == ResourceCatalog.Secrets)
        {
            SecretRules.Validate(obj, errors);
        }
        else if (type == ResourceCatalog.Pods)
        {
            PodRules.Validate(obj, errors);
        }
        else if (type == ResourceCatalog.MutatingWebhookConfigurations)
        {
            WebhookConfigurationRules.Validate(obj, errors);
        }
        else if (type == ResourceCatalog.Leases)
        {
            LeaseRules.Validate(obj, errors);
        }
        else if (type == ResourceCatalog.CoreEvents)
        {
            EventRules.Validate(obj, strict: view == ResourceCatalog.Events, errors);
        }
        else if (type.Group == "rbac.authorization.k8s.io")
        {
            RbacRules.Validate(type, obj, errors);
        }
        else if (type == ResourceCatalog.Namespaces)
        {
            ValidateFinalizers(obj["spec"]?["finalizers"] as JsonArray, "spec.finalizers", errors);
        }
    }

    /// <summary>
    /// The namespace strategy: on create the <c>kubernetes</c> finalizer joins the client's and the
    /// phase is Active; an update cannot touch spec or status (the finalize subresource and the
    /// deletion do). Since 1.21 every namespace carries the immutable
    /// <c>kubernetes.io/metadata.name</c> label, so selectors can target it
    /// (https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name).
    /// </summary>
    private static void DefaultNamespace(JsonObject ns, JsonObject? current)
    {
        var metadata = (JsonObject)ns["metadata"]!;
        var labels = metadata["labels"] as JsonObject ?? [];
        labels["kubernetes.io/metadata.name"] = NameOf(ns);
        metadata["labels"] = labels;
        if (current is not null)
        {
            ns["spec"] = current["spec"]?.DeepClone();
            ns["status"] = current["status"]?.DeepClone();
            return;
        }

        var finalizers = ns["spec"]?["finalizers"] as JsonArray ?? [];
        if (!finalizers.Any(f => f?.GetValue<string>() == "kubernetes"))
        {
            finalizers = new JsonArray([.. finalizers.Select(f => f?.DeepClone()), "kubernetes"]);
        }

        ns["spec"] = new JsonObject { ["finalizers"] = finalizers.DeepClone() };
        ns["status"] = new JsonObject { ["phase"] = "Active" };
    }

    private static void ValidateMetadata(ResourceType view, JsonObject obj, FieldErrors errors)
    {
        var type = StorageMapping.StorageOf(view);
        var metadata = obj["metadata"] as JsonObject ?? [];
        var name = NameOf(obj);
        if (view == ResourceCatalog.CoreEvents)
        {
            // Core v1 Events keep their pre-validation behaviour: no metadata rules, only a usable path segment.
            if (name is not null && NameRules.CheckPathSegment(name) is { } segmentProblem)
            {
                errors.Add(FieldError.Invalid("metadata.name", name, segmentProblem));
            }

            return;
        }

        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            var problem = type.Group == "rbac.authorization.k8s.io" ? NameRules.CheckPathSegment(name)
                : type == ResourceCatalog.Namespaces ? NameRules.CheckLabel(name)
                : NameRules.CheckSubdomain(name);
            if (problem is not null)
            {
                errors.Add(FieldError.Invalid("metadata.name", name, problem));
            }
        }

        if (metadata["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
        {
            // Checked as a name, with a trailing dash allowed (maskTrailingDash).
            var masked = prefix.EndsWith('-') && prefix.Length > 1 ? prefix[..^1] + "a" : prefix;
            var problem = type.Group == "rbac.authorization.k8s.io" ? NameRules.CheckPathSegment(masked)
                : type == ResourceCatalog.Namespaces ? NameRules.CheckLabel(masked)
                : NameRules.CheckSubdomain(masked);
            if (problem is not null)
            {
                errors.Add(FieldError.Invalid("metadata.generateName", prefix, problem));
            }
        }

        ValidateFinalizers(metadata["finalizers"] as JsonArray, "metadata.finalizers", errors);

        foreach (var (key, value) in metadata["labels"] as JsonObject ?? [])
        {
            if (NameRules.CheckQualifiedName(key) is { } keyProblem)
            {
                errors.Add(FieldError.Invalid("metadata.labels", key, keyProblem));
            }

            var text = value?.GetValue<string>() ?? "";
            if (!NameRules.IsLabelValue(text))
            {
                errors.Add(FieldError.Invalid("metadata.labels", text, NameRules.LabelValueMessage));
            }
        }

        var annotationsSize = 0;
        foreach (var (key, value) in metadata["annotations"] as JsonObject ?? [])
        {
            if (NameRules.CheckQualifiedName(key.ToLowerInvariant()) is { } keyProblem)
            {
                errors.Add(FieldError.Invalid("metadata.annotations", key, keyProblem));
            }

            annotationsSize += key.Length + Encoding.UTF8.GetByteCount(value?.GetValue<string>() ?? "");
        }

        if (annotationsSize > MaxAnnotationsSize)
        {
            errors.Add(FieldError.TooLong("metadata.annotations", MaxAnnotationsSize));
        }
    }

    /// <summary>ValidateFinalizerName: a qualified name, and either standard or with a domain prefix.</summary>
    private static void ValidateFinalizers(JsonArray? finalizers, string path, FieldErrors errors)
    {
        for (var i = 0; i < (finalizers?.Count ?? 0); i++)
        {
            var finalizer = finalizers![i]?.GetValue<string>() ?? "";
            if (NameRules.CheckQualifiedName(finalizer) is { } problem)
            {
                errors.Add(FieldError.Invalid(path, finalizer, problem));
            }

            if (!finalizer.Contains('/', StringComparison.Ordinal) && !StandardFinalizers.Contains(finalizer, StringComparer.Ordinal))
            {
                errors.Add(FieldError.Invalid($"{path}[{i}]", finalizer, "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
    }

    private static string? NameOf(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>();
}

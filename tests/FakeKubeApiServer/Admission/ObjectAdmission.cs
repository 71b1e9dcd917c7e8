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

    public static void Default(ResourceType type, JsonObject obj)
    {
        if (type == ResourceCatalog.Secrets)
        {
            SecretRules.Default(obj);
        }
        else if (type == ResourceCatalog.Namespaces)
        {
            DefaultNamespace(obj);
        }
        else if (type == ResourceCatalog.Pods)
        {
            PodRules.Default(obj);
        }
        else if (type == ResourceCatalog.MutatingWebhookConfigurations)
        {
            WebhookConfigurationRules.Default(obj);
        }
    }

    public static void ValidateCreate(ResourceType type, JsonObject obj)
    {
        var errors = new FieldErrors();
        ValidateMetadata(type, obj, errors);
        ValidateKind(type, obj, errors);
        errors.ThrowIfAny(type, NameOf(obj));
    }

    public static void ValidateUpdate(ResourceType type, JsonObject old, JsonObject updated)
    {
        var errors = new FieldErrors();
        ValidateMetadata(type, updated, errors);
        ValidateKind(type, updated, errors);
        if (type == ResourceCatalog.Secrets)
        {
            SecretRules.ValidateUpdate(old, updated, errors);
        }
        else if (type == ResourceCatalog.Pods)
        {
            PodRules.ValidateUpdate(old, updated, errors);
        }

        errors.ThrowIfAny(type, NameOf(updated));
    }

    private static void ValidateKind(ResourceType type, JsonObject obj, FieldErrors errors)
    {
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
    }

    private static void DefaultNamespace(JsonObject ns)
    {
        // Since 1.21 every namespace carries this immutable label, so selectors can target it
        // (https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name).
        var metadata = (JsonObject)ns["metadata"]!;
        var labels = metadata["labels"] as JsonObject ?? [];
        labels["kubernetes.io/metadata.name"] = NameOf(ns);
        metadata["labels"] = labels;
        ns["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
        ns["status"] = new JsonObject { ["phase"] = "Active" };
    }

    private static void ValidateMetadata(ResourceType type, JsonObject obj, FieldErrors errors)
    {
        var metadata = obj["metadata"] as JsonObject ?? [];
        var name = NameOf(obj);
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

    private static string? NameOf(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>();
}

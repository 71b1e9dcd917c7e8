using System.Text.Json.Nodes;
using FakeKubeApiServer.Discovery;

namespace FakeKubeApiServer.Admission;

/// <summary>
/// MutatingWebhookConfiguration defaults and validation (pkg/apis/admissionregistration/v1
/// defaults.go, validation.go). The defaults matter to clients: a registration that compares
/// what it sent with what it reads back must expect them.
/// </summary>
internal static class WebhookConfigurationRules
{
    private static readonly string[] SideEffects = ["None", "NoneOnDryRun"];

    private static bool IsBase64(string value) =>
        value.Length % 4 == 0 && Convert.TryFromBase64String(value, new byte[value.Length], out _);

    /// <summary>matchConditions: unknown before 1.27, alpha and off by default in 1.27, on from 1.28. (A 1.27 server
    /// with the gate off keeps them on an object that already has them; the fake drops them always.)</summary>
    public static void DropUnsupportedFields(JsonObject configuration, ServerVersion version)
    {
        if (!version.IsBefore(1, 28))
        {
            return;
        }

        foreach (var webhook in (configuration["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
        {
            webhook.Remove("matchConditions");
        }
    }

    public static void Default(JsonObject configuration)
    {
        foreach (var webhook in (configuration["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
        {
            webhook["failurePolicy"] ??= "Fail";
            webhook["matchPolicy"] ??= "Equivalent";
            webhook["namespaceSelector"] ??= new JsonObject();
            webhook["objectSelector"] ??= new JsonObject();
            webhook["timeoutSeconds"] ??= 10;
            webhook["reinvocationPolicy"] ??= "Never";
            if (webhook["clientConfig"]?["service"] is JsonObject service)
            {
                service["port"] ??= 443;
            }

            foreach (var rule in (webhook["rules"] as JsonArray ?? []).OfType<JsonObject>())
            {
                rule["scope"] ??= "*";
            }
        }
    }

    public static void Validate(JsonObject configuration, FieldErrors errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var webhooks = configuration["webhooks"] as JsonArray ?? [];
        for (var i = 0; i < webhooks.Count; i++)
        {
            var path = $"webhooks[{i}]";
            var webhook = webhooks[i] as JsonObject ?? [];
            var name = webhook["name"]?.GetValue<string>() ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required(path + ".name"));
            }
            else if (name.Split('.').Length < 3 || NameRules.CheckSubdomain(name) is not null)
            {
                errors.Add(FieldError.Invalid(path + ".name", name, "should be a domain with at least three segments separated by dots"));
            }
            else if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate(path + ".name", name));
            }

            var sideEffects = webhook["sideEffects"]?.GetValue<string>();
            if (sideEffects is null)
            {
                errors.Add(FieldError.Required(path + ".sideEffects", "must specify one of \"None\", \"NoneOnDryRun\""));
            }
            else if (!SideEffects.Contains(sideEffects, StringComparer.Ordinal))
            {
                errors.Add(FieldError.NotSupported(path + ".sideEffects", sideEffects, SideEffects));
            }

            if (webhook["admissionReviewVersions"] is not JsonArray { Count: > 0 })
            {
                errors.Add(FieldError.Required(path + ".admissionReviewVersions", "must specify one of v1, v1beta1"));
            }

            var client = webhook["clientConfig"] as JsonObject;
            if (client?["caBundle"] is JsonValue caBundle && (!caBundle.TryGetValue<string>(out var pem) || !IsBase64(pem)))
            {
                // caBundle is []byte: bad base64 fails decoding, a 400 before validation.
                throw Http.Status.BadRequest($"MutatingWebhookConfiguration in version \"v1\" cannot be handled as a MutatingWebhookConfiguration: illegal base64 data in {path}.clientConfig.caBundle");
            }

            var hasUrl = client?["url"] is not null;
            var hasService = client?["service"] is not null;
            if (hasUrl == hasService)
            {
                errors.Add(FieldError.Required(path + ".clientConfig", "exactly one of url or service is required"));
            }
        }
    }
}

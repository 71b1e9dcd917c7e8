using System.Text.Json;
using PullSecretWebhook.Admission.Wire;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Cli.Manifests;

/// <summary>Decides for every object of a document, with the webhook's own per-Pod rules
/// (<see cref="PodMutator.PlanInjection(PodFacts, InjectionOperations)"/>) applied to Pods and Pod templates, and its namespace exclusion by name.</summary>
internal sealed class InjectionPlanner(string secretName, string? defaultNamespace, IReadOnlySet<string> excludedNamespaces)
{
    public IEnumerable<ObjectResult> Plan(int document, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        var kind = AdmissionReviewReader.GetString(root, "kind");
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                yield return PlanObject(document, index, $"/items/{index}", item);
                index++;
            }

            yield break;
        }

        yield return PlanObject(document, null, "", root);
    }

    private ObjectResult PlanObject(int document, int? item, string pointer, JsonElement obj)
    {
        var kind = AdmissionReviewReader.GetString(obj, "kind");
        var metadata = obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var m) ? m : default;
        var name = AdmissionReviewReader.GetString(metadata, "name") ?? AdmissionReviewReader.GetString(metadata, "generateName");
        var ns = AdmissionReviewReader.GetString(metadata, "namespace") ?? defaultNamespace;
        ObjectResult Result(AdmissionOutcome outcome, PatchOperation? operation = null) =>
            new(document, item, kind, name, ns, outcome.Reason(), operation);

        if (PodTemplatePaths.For(AdmissionReviewReader.GetString(obj, "apiVersion"), kind) is not { } paths)
        {
            return new(document, item, kind, name, ns, "not_a_pod_template", null);
        }

        if (ns is not null && excludedNamespaces.Contains(ns))
        {
            return Result(AdmissionOutcome.NamespaceExcluded);
        }

        var decision = PodMutator.PlanInjection(At(obj, paths.Metadata), At(obj, paths.Spec), pointer + paths.Spec, secretName);
        return Result(decision.Outcome, decision.Operation);
    }

    /// <summary>The element at a JSON pointer of plain member names, or default when a step is missing.</summary>
    private static JsonElement At(JsonElement element, string pointer)
    {
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return default;
            }
        }

        return element;
    }

    public static IReadOnlySet<string> Exclusions(IEnumerable<string> extra) =>
        WellKnown.AlwaysExcludedNamespaces.Concat(extra).ToHashSet(StringComparer.Ordinal);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Admission;

/// <summary>The webhook's logic: a pure function from an admission request to a response (CONTRACT.md §2). No I/O;
/// namespace facts come from in-memory caches.</summary>
internal sealed class PodMutator
{
    private readonly string _secretName;
    private readonly NamespaceExclusion _exclusion;
    private readonly INamespaceFactsSource _facts;
    private readonly InjectionMode _mode;

    public PodMutator(IOptions<TargetOptions> target, NamespaceExclusion exclusion, INamespaceFactsSource facts, IOptions<InjectionOptions> injection)
    {
        _secretName = target.Value.SecretName;
        _exclusion = exclusion;
        _facts = facts;
        _mode = injection.Value.Mode;
    }

    public string SecretName => _secretName;

    public AdmissionResponse Mutate(AdmissionRequest request)
    {
        if (request.Kind != "Pod" || request.KindGroup.Length != 0)
        {
            return AdmissionResponse.Allowed(request.Uid, AdmissionOutcome.NotAPod);
        }

        if (request.SubResource.Length != 0)
        {
            return AdmissionResponse.Allowed(request.Uid, AdmissionOutcome.SubResource);
        }

        if (request.Operation != "CREATE")
        {
            return AdmissionResponse.Allowed(request.Uid, AdmissionOutcome.NotCreate);
        }

        var pod = request.Object;
        if (pod.ValueKind != JsonValueKind.Object)
        {
            return AdmissionResponse.Allowed(request.Uid, AdmissionOutcome.MalformedObject);
        }

        var metadata = pod.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        // The request's namespace is authoritative; the object's may be empty for Pods created by controllers.
        var namespaceName = request.Namespace is { Length: > 0 } ns ? ns : AdmissionReviewReader.GetString(metadata, "namespace");
        if (_exclusion.IsExcluded(namespaceName))
        {
            return AdmissionResponse.Allowed(request.Uid, AdmissionOutcome.NamespaceExcluded);
        }

        var facts = namespaceName is null ? NamespaceFacts.Unknown : _facts.Get(namespaceName);
        if (facts.OptedOut == true)
        {
            return AdmissionResponse.Allowed(request.Uid, AdmissionOutcome.NamespaceOptedOut);
        }

        var spec = pod.TryGetProperty("spec", out var s) ? s : default;
        var decision = PlanInjection(metadata, spec, "/spec", _secretName);
        if (decision.Operation is null)
        {
            return AdmissionResponse.Allowed(request.Uid, decision.Outcome);
        }

        // Unknown credentials (no cluster, caches not synced) mean inject, as every other unknown fact does.
        if (_mode == InjectionMode.MatchingRegistries
            && namespaceName is not null
            && _facts.ExportedKeyring(namespaceName) is { } keyring
            && !PodImages.AnyMatches(spec, keyring))
        {
            return AdmissionResponse.Allowed(request.Uid, AdmissionOutcome.NoMatchingRegistry);
        }

        var response = AdmissionResponse.Patched(request.Uid, decision.Operation);
        return facts.TargetSecretPresent == false
            ? response.WithWarnings($"image pull secret \"{_secretName}\" is not present in namespace \"{namespaceName}\" yet; images from private registries may fail to pull until it is")
            : response;
    }

    /// <summary>Decides for one Pod (or Pod template) given its metadata and spec elements, and builds the add-only
    /// operation whose path is rooted at <paramref name="specPointer"/>. The per-Pod skip rules live here so that
    /// anything else that injects (such as an offline mutate of a Deployment's template) applies the same rules.</summary>
    internal static InjectionDecision PlanInjection(JsonElement metadata, JsonElement spec, string specPointer, string secretName)
    {
        if (metadata.ValueKind == JsonValueKind.Object)
        {
            if (metadata.TryGetProperty("labels", out var labels)
                && WellKnown.IsOptOut(AdmissionReviewReader.GetString(labels, WellKnown.InjectLabel)))
            {
                return new(AdmissionOutcome.PodOptedOut, null);
            }

            // Mirror Pods are read-only copies of static Pods; the API server refuses any Secret reference on them.
            if (metadata.TryGetProperty("annotations", out var annotations)
                && annotations.ValueKind == JsonValueKind.Object
                && annotations.TryGetProperty(WellKnown.MirrorPodAnnotation, out _))
            {
                return new(AdmissionOutcome.MirrorPod, null);
            }
        }

        // Without a spec object no add-only patch can apply, and a patch that fails to apply fails the Pod whatever
        // the failurePolicy says: leave such an object for the API server's own validation to judge.
        if (spec.ValueKind != JsonValueKind.Object)
        {
            return new(AdmissionOutcome.MalformedObject, null);
        }

        if (!spec.TryGetProperty("imagePullSecrets", out var existing) || existing.ValueKind == JsonValueKind.Null)
        {
            // RFC 6902 "add" on an existing member replaces it, so this also covers an explicit null.
            return new(AdmissionOutcome.Injected, PatchOperation.Add($"{specPointer}/imagePullSecrets", new JsonArray(Reference(secretName))));
        }

        if (existing.ValueKind != JsonValueKind.Array)
        {
            return new(AdmissionOutcome.MalformedObject, null);
        }

        foreach (var entry in existing.EnumerateArray())
        {
            if (AdmissionReviewReader.GetString(entry, "name") == secretName)
            {
                return new(AdmissionOutcome.AlreadyReferenced, null);
            }
        }

        return new(AdmissionOutcome.Injected, PatchOperation.Add($"{specPointer}/imagePullSecrets/-", Reference(secretName)));
    }

    private static JsonObject Reference(string secretName) => new() { ["name"] = secretName };
}

using System.Text.Json;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Admission;

/// <summary>The webhook's logic: a pure function from an admission request to a response (README, "What the webhook
/// does"). No I/O; namespace facts come from in-memory caches.</summary>
internal sealed class PodMutator
{
    private readonly string _secretName;
    private readonly InjectionOperations _operations;
    private readonly NamespaceExclusion _exclusion;
    private readonly INamespaceFactsSource _facts;
    private readonly InjectionMode _mode;

    public PodMutator(IOptions<TargetOptions> target, NamespaceExclusion exclusion, INamespaceFactsSource facts, IOptions<InjectionOptions> injection)
    {
        _secretName = target.Value.SecretName;
        _operations = new InjectionOperations("/spec", _secretName);
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

        if (request.Pod is not { } pod)
        {
            return AdmissionResponse.Allowed(request.Uid, AdmissionOutcome.MalformedObject);
        }

        // The request's namespace is authoritative; the object's may be empty for Pods created by controllers.
        var namespaceName = request.Namespace is { Length: > 0 } ns ? ns : pod.Namespace;
        if (_exclusion.IsExcluded(namespaceName))
        {
            return AdmissionResponse.Allowed(request.Uid, AdmissionOutcome.NamespaceExcluded);
        }

        var facts = namespaceName is null ? NamespaceFacts.Unknown : _facts.Get(namespaceName);
        if (facts.OptedOut == true)
        {
            return AdmissionResponse.Allowed(request.Uid, AdmissionOutcome.NamespaceOptedOut);
        }

        var decision = PlanInjection(pod, _operations);
        if (decision.Operation is null)
        {
            return AdmissionResponse.Allowed(request.Uid, decision.Outcome);
        }

        // Unknown credentials (no cluster, caches not synced) mean inject, as every other unknown fact does.
        if (_mode == InjectionMode.MatchingRegistries
            && namespaceName is not null
            && _facts.ExportedKeyring(namespaceName) is { } keyring
            && !PodImages.AnyMatches(pod.Images, keyring))
        {
            return AdmissionResponse.Allowed(request.Uid, AdmissionOutcome.NoMatchingRegistry);
        }

        var response = AdmissionResponse.Patched(request.Uid, decision.Operation);
        return facts.TargetSecretPresent == false
            ? response.WithWarnings($"image pull secret \"{_secretName}\" is not present in namespace \"{namespaceName}\" yet; images from private registries may fail to pull until it is")
            : response;
    }

    /// <summary>Decides for one Pod (or Pod template) given its metadata and spec elements, with the operations rooted
    /// at <paramref name="specPointer"/>; see <see cref="PlanInjection(PodFacts, InjectionOperations)"/>.</summary>
    internal static InjectionDecision PlanInjection(JsonElement metadata, JsonElement spec, string specPointer, string secretName) =>
        PlanInjection(PodFacts.From(metadata, spec), new InjectionOperations(specPointer, secretName));

    /// <summary>Decides for one Pod (or Pod template) and picks the add-only operation. The per-Pod skip rules live here
    /// so that anything else that injects (such as an offline mutate of a Deployment's template) applies the same
    /// rules.</summary>
    internal static InjectionDecision PlanInjection(PodFacts pod, InjectionOperations operations)
    {
        if (WellKnown.IsOptOut(pod.InjectLabel))
        {
            return new(AdmissionOutcome.PodOptedOut, null);
        }

        // Mirror Pods are read-only copies of static Pods; the API server refuses any Secret reference on them.
        if (pod.IsMirror)
        {
            return new(AdmissionOutcome.MirrorPod, null);
        }

        // Without a spec object no add-only patch can apply, and a patch that fails to apply fails the Pod whatever
        // the failurePolicy says: leave such an object for the API server's own validation to judge.
        if (!pod.HasSpec)
        {
            return new(AdmissionOutcome.MalformedObject, null);
        }

        switch (pod.PullSecrets)
        {
            case PullSecretsField.Absent:
                return new(AdmissionOutcome.Injected, operations.AddList);
            case PullSecretsField.NotAList:
                return new(AdmissionOutcome.MalformedObject, null);
        }

        foreach (var name in pod.PullSecretNames)
        {
            if (name == operations.SecretName)
            {
                return new(AdmissionOutcome.AlreadyReferenced, null);
            }
        }

        return new(AdmissionOutcome.Injected, operations.Append);
    }
}

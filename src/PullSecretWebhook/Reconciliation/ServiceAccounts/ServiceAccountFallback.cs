using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Reconciliation.Targets;
using PullSecretWebhook.Selection;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.ServiceAccounts;

/// <summary>The optional ServiceAccount fallback (<c>ServiceAccounts:Mode</c>). It adds only our entry, and marks the
/// account with an annotation saying it did; when the namespace leaves the selection it removes only an entry it
/// added, with a JSON Patch whose <c>test</c> operation makes the removal fail rather than remove anything else if the
/// list moved. ServiceAccount <c>imagePullSecrets</c> has no merge key (unlike a Pod's): a strategic merge patch
/// replaces the whole list, so the add sends the list as read plus our entry, guarded by the resourceVersion it was
/// read at (a 409 if the account changed meanwhile, retried with the fresh copy).</summary>
internal sealed class ServiceAccountFallback : INamespaceFeature, IFeatureCache
{
    /// <summary>Present on a ServiceAccount whose target entry was added by us (value: the Secret name).</summary>
    public const string AddedAnnotation = WellKnown.Prefix + "added-image-pull-secret";

    private readonly IKubernetes _client;
    private readonly ReconcilerMetrics _metrics;
    private readonly string _target;

    public ServiceAccountFallback(KubeInformerFactory informers, IKubernetes client, IOptions<ServiceAccountOptions> options, IOptions<TargetOptions> target, ReconcilerMetrics metrics)
    {
        _client = client;
        _metrics = metrics;
        _target = target.Value.SecretName;
        Mode = options.Value.Mode;
        Accounts = Mode == ServiceAccountMode.Off
            ? null
            : informers.Create(KubeKinds.ServiceAccounts, new InformerOptions { FieldSelector = Mode == ServiceAccountMode.Default ? "metadata.name=default" : null });
    }

    public ServiceAccountMode Mode { get; }

    /// <summary>Null when the mode is Off: then nothing is watched.</summary>
    public Informer<V1ServiceAccount>? Accounts { get; }

    public Task RunAsync(CancellationToken cancellationToken) => Accounts?.RunAsync(cancellationToken) ?? Task.CompletedTask;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Accounts?.WaitForSyncAsync(cancellationToken) ?? Task.CompletedTask;

    public void Watch(Action<NamespaceWork> enqueue) =>
        Accounts?.AddHandler((change, _) => NamespaceWork.AddTo(enqueue, change.Object.Metadata.NamespaceProperty));

    /// <summary>Adds our entry where the namespace wants a target, removes only our own where it does not; a
    /// terminating namespace is left alone.</summary>
    public async Task ReconcileAsync(string ns, DesiredTarget desired, CancellationToken cancellationToken)
    {
        if (Accounts is null || desired.Reason == DesiredReason.Terminating)
        {
            return;
        }

        var wanted = desired.IsWanted;
        foreach (var account in Accounts.ByNamespace(ns))
        {
            var hasEntry = account.ImagePullSecrets?.Any(r => r.Name == _target) == true;
            var addedByUs = account.Metadata.AnnotationsView()?.GetValueOrDefault(AddedAnnotation) == _target;
            if (wanted && !hasEntry)
            {
                await AddAsync(account, cancellationToken);
            }
            else if (!wanted && hasEntry && addedByUs)
            {
                await RemoveAsync(account, cancellationToken);
            }
        }
    }

    private async Task AddAsync(V1ServiceAccount account, CancellationToken cancellationToken)
    {
        // Nodes, not JsonObjects: JsonArray's generic Add needs dynamic code under Native AOT.
        JsonNode Reference(string? name) => new JsonObject { ["name"] = name };
        var entries = new JsonArray([.. (account.ImagePullSecrets ?? []).Select(entry => Reference(entry.Name)), Reference(_target)]);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = account.Metadata.ResourceVersion,
                ["annotations"] = new JsonObject { [AddedAnnotation] = _target },
            },
            ["imagePullSecrets"] = entries,
        };
        await PatchAsync(account, new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), cancellationToken);
    }

    private async Task RemoveAsync(V1ServiceAccount account, CancellationToken cancellationToken)
    {
        var index = account.ImagePullSecrets!.ToList().FindIndex(r => r.Name == _target);
        var patch = new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = $"/imagePullSecrets/{index}/name", ["value"] = _target },
            new JsonObject { ["op"] = "remove", ["path"] = $"/imagePullSecrets/{index}" },
            new JsonObject { ["op"] = "remove", ["path"] = $"/metadata/annotations/{AddedAnnotation.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}" });
        await PatchAsync(account, new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch), cancellationToken);
    }

    private async Task PatchAsync(V1ServiceAccount account, V1Patch patch, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.PatchNamespacedServiceAccountAsync(patch, account.Metadata.Name, account.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            _metrics.Wrote("patch", "serviceaccounts");
        }
        catch (Exception e) when (KubeApiException.IsApiFailure(e))
        {
            _metrics.ApiError("patch", "serviceaccounts");
            throw;
        }
    }
}

using System.Net;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Reconciliation.Caches;
using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Reconciliation.Targets;
using PullSecretWebhook.Selection;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.Placeholders;

/// <summary>Fills secretgen-controller "placeholder" Secrets (<c>Placeholders:Enabled</c>): a
/// <c>kubernetes.io/dockerconfigjson</c> Secret annotated <c>secretgen.carvel.dev/image-pull-secret</c> gets its
/// namespace's merged credentials, exactly what the target holds, under the same export scope, exclusions, opt-outs and
/// invalid-source rule. The placeholder stays its owner's: only its <c>.dockerconfigjson</c> and a status annotation
/// are written, by update with the resourceVersion read (optimistic concurrency); it is never created or deleted.</summary>
internal sealed class PlaceholderFiller : INamespaceFeature, IFeatureCache
{
    /// <summary>secretgen-controller's marker of a placeholder (any value).</summary>
    public const string PlaceholderAnnotation = "secretgen.carvel.dev/image-pull-secret";

    /// <summary>What we last did to a placeholder: "filled from SOURCES", or "emptied: REASON".</summary>
    public const string StatusAnnotation = WellKnown.Prefix + "placeholder";

    /// <summary><c>{}</c>: what an unfilled placeholder holds (secretgen's own example uses it).</summary>
    private static readonly byte[] Empty = "{}"u8.ToArray();

    private readonly IKubernetes _client;
    private readonly ReconcilerMetrics _metrics;
    private readonly ILogger<PlaceholderFiller> _logger;

    public PlaceholderFiller(KubeInformerFactory informers, IKubernetes client, IOptions<PlaceholdersOptions> options, ReconcilerMetrics metrics, ILogger<PlaceholderFiller> logger)
    {
        _client = client;
        _metrics = metrics;
        _logger = logger;
        Candidates = options.Value.Enabled
            ? informers.Create(KubeKinds.Secrets, new InformerOptions { FieldSelector = $"type={SecretTypes.DockerConfigJson}" })
            : null;
    }

    /// <summary>Every <c>kubernetes.io/dockerconfigjson</c> Secret; null when disabled (nothing is watched).</summary>
    public Informer<V1Secret>? Candidates { get; }

    public static bool IsPlaceholder(V1Secret secret) =>
        secret.Type == SecretTypes.DockerConfigJson
        && secret.Metadata.Annotations?.ContainsKey(PlaceholderAnnotation) == true
        && !TargetAssessment.IsOurs(secret);

    public Task RunAsync(CancellationToken cancellationToken) => Candidates?.RunAsync(cancellationToken) ?? Task.CompletedTask;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Candidates?.WaitForSyncAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>A placeholder appeared or changed: its namespace is reconciled.</summary>
    public void Watch(Action<NamespaceWork> enqueue) =>
        Candidates?.AddHandler((change, _) => IsPlaceholder(change.Object) ? NamespaceWork.AddTo(enqueue, change.Object.Metadata.NamespaceProperty) : Task.CompletedTask);

    public async Task ReconcileAsync(string ns, DesiredTarget desired, CancellationToken cancellationToken)
    {
        if (Candidates is null || desired.Reason == DesiredReason.Terminating)
        {
            return;
        }

        foreach (var placeholder in Candidates.ByNamespace(ns).Where(IsPlaceholder))
        {
            var filledByUs = placeholder.Metadata.Annotations!.ContainsKey(StatusAnnotation);
            if (!desired.IsWanted && !filledByUs)
            {
                continue; // nothing to give, and nothing of ours to take back
            }

            var (payload, status) = desired.IsWanted
                ? (desired.Merge!.Payload, $"filled from {desired.SourcesAnnotation}")
                : (Empty, $"emptied: {desired.Reason}");
            var current = placeholder.DataView()?.GetValueOrDefault(SecretTypes.DockerConfigJsonKey);
            if (current is not null && current.AsSpan().SequenceEqual(payload) && placeholder.Metadata.AnnotationsView()?.GetValueOrDefault(StatusAnnotation) == status)
            {
                continue;
            }

            await UpdateAsync(placeholder, payload, status, cancellationToken);
        }
    }

    private async Task UpdateAsync(V1Secret placeholder, byte[] payload, string status, CancellationToken cancellationToken)
    {
        var meta = placeholder.Metadata;
        var patch = new SecretPatch(placeholder)
            .SetAnnotation(StatusAnnotation, status)
            .SetData(SecretTypes.DockerConfigJsonKey, payload)
            .ToPatch();
        try
        {
            await _client.CoreV1.PatchNamespacedSecretAsync(patch, meta.Name, meta.NamespaceProperty, cancellationToken: cancellationToken);
            _metrics.Wrote("update", "secrets");
            ReconcilerLog.PlaceholderFilled(_logger, meta.NamespaceProperty ?? "", meta.Name ?? "", status);
        }
        catch (KubeApiException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            // Changed or deleted by its owner since we read it: the watch brings the new version (or the deletion)
            // and the namespace is reconciled again. Never a blind write.
            _metrics.ApiError("update", "secrets");
        }
        catch (Exception e) when (KubeApiException.IsApiFailure(e))
        {
            _metrics.ApiError("update", "secrets");
            throw;
        }
    }
}
